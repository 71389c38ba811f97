"""ふりがな: readings over kanji as <ruby>, computed on the server.

Readings come from Sudachi (``sudachipy`` with ``sudachidict-core``), except for Komoro's
place names: those come from the plan data file (``place_readings`` and the districts'
``reading``), and a place name the file gives no reading for gets none, rather than a
guess (``平原`` may be へいげん or ひらはら; only the city knows).

A page is annotated after it is rendered (:func:`ruby_html`), text node by text node,
so the interface strings, residents' and staff's texts get ruby alike while attributes
(``aria-label``, ``value``), ``<option>``, ``<title>`` and ``<textarea>`` stay plain
text, as they must. Jinja already escaped the page: each text node is unescaped,
analysed, and built again from escaped pieces, so no text ever becomes markup. Each
node's result is kept (LRU): the interface's strings are analysed once per process.
"""

from __future__ import annotations

import html
import re
import threading
import tomllib
from functools import lru_cache
from pathlib import Path

from markupsafe import escape

KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
KANJI_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+)")
# A page split into tags (kept as they are) and the text between them.
TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
# Inside these, text is not shown as flowing text (or is ours already): no ruby.
PLAIN = frozenset({"head", "title", "script", "style", "textarea", "option", "select",
                   "svg", "ruby", "rt", "rp", "code"})
# A place name counts only as a word of its own: not inside 市町村 (市町) or 日本町 (本町).
PLACE_SUFFIXES = "区|地区|市|地域"
_analysers = threading.local()
_places: dict[str, re.Pattern[str] | dict[str, str | None]] = {}


def configure(plan_file: str | Path) -> None:
    """Take the place names and their readings from the plan data file (at app start)."""
    data = tomllib.loads(Path(plan_file).read_text(encoding="utf-8"))
    readings: dict[str, str | None] = {}
    for district in data.get("districts", []):
        for ku in district.get("kus", []):
            readings.setdefault(ku, None)
        readings[district["name"]] = district.get("reading")
    readings.update(data.get("place_readings", {}))
    # Single-character names (東, 市, 氷, 諸) are ordinary words in running text.
    names = sorted((name for name in readings if len(name) > 1 or readings[name]),
                   key=len, reverse=True)
    _places["readings"] = readings
    _places["pattern"] = re.compile(
        r"(?<![\u3400-\u9fff々])(" + "|".join(map(re.escape, names)) + r")"
        r"(?=" + PLACE_SUFFIXES + r"|[^\u3400-\u9fff々]|$)") if names else None
    ruby_text.cache_clear()


def ruby_html(page: str) -> str:
    """``page`` (escaped HTML as Jinja rendered it) with ruby over the kanji of its text."""
    parts = TAG.split(page)
    plain_depth = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            found = TAG_NAME.match(part)
            if found and found.group(2).lower() in PLAIN and not part.endswith("/>"):
                plain_depth = max(0, plain_depth + (-1 if found.group(1) else 1))
        elif plain_depth == 0 and KANJI.search(part):
            parts[index] = ruby_text(part)
    return "".join(parts)


@lru_cache(maxsize=8192)
def ruby_text(escaped: str) -> str:
    """One text node (escaped HTML, no tags) with ruby: escaped HTML again."""
    text = html.unescape(escaped)
    pattern = _places.get("pattern")
    pieces = pattern.split(text) if pattern is not None else [text]
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a Komoro place name
            reading = _places["readings"].get(piece)
            out.append(_ruby(piece, reading) if reading else str(escape(piece)))
        elif piece:
            out.extend(_word(surface, reading) for surface, reading in readings(piece))
    # One element, as the text node was one: in a flex container (a card's link) each
    # <ruby> would otherwise be an item of its own, and the line could no longer wrap.
    joined = "".join(out)
    return f'<span class="ruby-text">{joined}</span>' if "<ruby>" in joined else joined


def readings(text: str) -> list[tuple[str, str]]:
    """Each word of ``text`` with its reading in hiragana (Sudachi's longest units)."""
    words = [(word.surface(), to_hiragana(word.reading_form()))
             for word in _analyser().tokenize(text)]
    for index in range(1, len(words)):
        number, surface = words[index - 1][0], words[index][0]
        if number.isascii() and number.isdigit() and surface in DAY_COUNTERS:
            words[index] = (surface, _day_reading(int(number), surface))
    return words


# Days after a number (dates on every card: 12月13日): Sudachi reads the number digit by
# digit (13 as いち + みっ) and so gives 13日 the か of 3日. The kana of the day itself:
# ふつ-か … とお-か, じゅうよっ-か, はつ-か, にじゅうよっ-か; every other day is にち.
DAY_COUNTERS = {"日": "", "日間": "かん"}
KA_DAYS = frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 20, 24})


def _day_reading(number: int, surface: str) -> str:
    return ("か" if number in KA_DAYS else "にち") + DAY_COUNTERS[surface]


def to_hiragana(kana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


def _word(surface: str, reading: str) -> str:
    """A word as HTML: ruby over each run of kanji, the kana around them left bare."""
    if not KANJI.search(surface) or not reading or reading == surface:
        return str(escape(surface))
    runs = KANJI_RUN.split(surface)  # kana, kanji, kana, kanji, …
    pattern = "".join("(.+?)" if i % 2 else re.escape(to_hiragana(run))
                      for i, run in enumerate(runs))
    matched = re.fullmatch(pattern, reading)
    if matched is None:  # okurigana that do not line up: one ruby over the whole word
        return _ruby(surface, reading)
    groups = iter(matched.groups())
    return "".join(_ruby(run, next(groups)) if i % 2 else str(escape(run))
                   for i, run in enumerate(runs))


def _ruby(base: str, reading: str) -> str:
    # The reading is for the eye: hidden from assistive technology, so a link or button is
    # named 広聴, not 広聴こうちょう, and a screen reader reads the words once.
    return f'<ruby>{escape(base)}<rt aria-hidden="true">{escape(reading)}</rt></ruby>'


def _analyser():
    """Sudachi's tokenizer, one per thread (it is not shared between threads)."""
    analyser = getattr(_analysers, "tokenizer", None)
    if analyser is None:
        from sudachipy import Dictionary, SplitMode

        analyser = _analysers.tokenizer = Dictionary(dict="core").tokenizer(SplitMode.C)
    return analyser
