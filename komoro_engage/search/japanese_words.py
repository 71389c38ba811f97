"""Japanese content words of a text, by SudachiPy's packaged dictionary (no service).

The text map (``text_map.py``) counts words, not characters: 「除雪」 and 「雪かき」
are words a resident wrote, 「雪か」 is not. SudachiPy splits a text into
morphemes with their part of speech and a normalised form (「ほしい」 and 「欲しい」
are one word, 「歩け」 is 「歩く」), so the words of one theme meet whatever
their spelling or inflection.

The dictionary is loaded once per process (about 70 MB mapped from the
``sudachidict-core`` package) and only by code that asks for words: pages
never do, they read stored snapshots.
"""

from __future__ import annotations

import functools
import threading
import unicodedata

# SudachiPy refuses inputs above 49,149 bytes; a Japanese character is 3 bytes in
# UTF-8. A resident's proposal is far shorter: the rest of a pasted essay adds
# little to its theme.
MAX_CHARS = 4000

# Parts of speech that carry a theme: nouns (not numerals), verbs and adjectives
# that stand alone, and na-adjectives (「不便」「大切」). Helpers such as する, いる,
# ある, ください are 非自立可能 and left out by their part of speech.
_KEPT = {
    ("名詞", "普通名詞"), ("名詞", "固有名詞"),
    ("動詞", "一般"), ("形容詞", "一般"), ("形状詞", "一般"),
}

# Content words every opinion uses whatever its theme.
_STOP_LINES = """
こと もの ため よう とき ところ 事 物 為 様 方 等 など 時 今 中 上 下 前 後 場合 感じ 気 点
思う 考える 言う 願う 行く 来る 見る 出る 聞く 知る 分かる 使う 持つ 入る 行う 頂く 致す
良い いい 無い 欲しい 多い 少し 是非 大変 本当 色々 様々 皆さん 皆 私 自分 お願い
"""
STOP_WORDS = frozenset(word for line in _STOP_LINES.splitlines() for word in line.split())


@functools.cache
def _tokenizer():
    """SudachiPy's tokenizer on the core dictionary, created once per process."""
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


# A SudachiPy tokenizer is not safe to share between threads (gunicorn may run
# several): one lock keeps each text's tokenising whole.
_lock = threading.Lock()


def content_words(text: str) -> list[str]:
    """The theme-bearing words of ``text``: normalised forms, in order, stop words dropped."""
    folded = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS].lower()
    if not folded.strip():
        return []
    with _lock:
        morphemes = [(m.part_of_speech()[:2], m.normalized_form())
                     for m in _tokenizer().tokenize(folded)]
    words = []
    for pos, word in morphemes:
        if pos not in _KEPT or word in STOP_WORDS or not _meaningful(word):
            continue
        words.append(word)
    return words


def _meaningful(word: str) -> bool:
    """False for a lone kana or Latin letter and for anything made of digits or signs."""
    if not any(ch.isalpha() for ch in word):
        return False
    return not (len(word) == 1 and unicodedata.name(word, "").startswith(
        ("HIRAGANA", "KATAKANA", "LATIN")))
