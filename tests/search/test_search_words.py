"""Words, not scattered pairs: precision 1.0 for words of 3+ characters, short words as before.

Run on real proposals (title and body indexed by the proposal feature) and, for the
fold, on the database itself: SQLite and PostgreSQL must agree with Python.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import literal, select

from komoro_engage.extensions import db
from komoro_engage.proposals import search_sync
from komoro_engage.search.services import matching_ids, normalize_text, runs_of
from komoro_engage.search.words import MAX_CHECKED_WORDS, fold, long_words, search_fold
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal

# (title, body) by a short name; "scattered" ones hold every pair of a word, never the word.
DOCS = {
    "scattered": ("企業体が農業を支える", "子どもの体験学習を広げたい"),
    "farm_tour": ("農業体験ツアーを夏休みに", "小諸の畑で"),
    "split_by_dot": ("農業・体験の両方を", "考えたい"),
    "across_texts": ("企業体の話", "農業と体験"),
    "title_body_edge": ("畑の農業", "体験を"),  # 農業 ends the title, 体験 starts the body
    "js_and_data": ("ＪａｖａＳｃｒｉｐｔ講座", "データ(data)の活用"),
    "heptathlon": ("Heptathlon の大会", "七種競技"),
    "german": ("Straße の除雪", "STRASSE"),
    "greek": ("ΟΔΟΣ 案内", "ギリシャ語"),
    "half_width": ("ﾊﾟﾝﾌﾚｯﾄ配布", "駅前で"),
}

CASES = [
    ("農業体験", {"farm_tour"}),
    ("体験学習", {"scattered"}),
    ("子どもの体験", {"scattered"}),
    ("企業体", {"scattered", "across_texts"}),
    ("農業体験 ツアー", {"farm_tour"}),
    ("農業体験ツアー", {"farm_tour"}),
    ("pta", {"heptathlon"}),
    ("PTA", {"heptathlon"}),
    ("ｐｔａ", {"heptathlon"}),
    ("javascript", {"js_and_data"}),
    ("SCRIPT data", {"js_and_data"}),
    ("scriptdata", set()),
    ("straße", {"german"}),
    ("strasse", {"german"}),
    ("STRAßE", {"german"}),
    ("οδος", {"greek"}),
    ("ΟΔΟΣ", {"greek"}),
    ("パンフレット", {"half_width"}),
    ("ﾊﾟﾝﾌ", {"half_width"}),
    ("ツアーを夏休み", {"farm_tour"}),
]

# Short words keep the index's meaning: a pair anywhere in a run, a character anywhere.
SHORT_CASES = [
    ("農業", {"scattered", "farm_tour", "split_by_dot", "across_texts", "title_body_edge"}),
    ("体験", {"scattered", "farm_tour", "split_by_dot", "across_texts", "title_body_edge"}),
    ("業体", {"scattered", "farm_tour", "across_texts"}),
    ("pt", {"js_and_data", "heptathlon"}),
    ("験", {"scattered", "farm_tour", "split_by_dot", "across_texts", "title_body_edge"}),
    ("農業 体験", {"scattered", "farm_tour", "split_by_dot", "across_texts", "title_body_edge"}),
]


@pytest.fixture
def docs(ctx):
    ids = {name: make_proposal(title=title, body=body).id for name, (title, body) in DOCS.items()}
    return ids


def _names(docs: dict[str, int], statement) -> set[str]:
    names = {item_id: name for name, item_id in docs.items()}
    return {names[i] for i in db.session.scalars(statement) if i in names}


def found(docs: dict[str, int], query: str) -> set[str]:
    """What the lists find: candidates, then each long word checked."""
    return _names(docs, search_sync.matching(query))


def candidates(docs: dict[str, int], query: str) -> set[str]:
    """What the bigram index alone finds."""
    return _names(docs, matching_ids(search_sync.SEARCH_KIND, query))


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_words_of_three_or_more_characters_match_only_where_adjacent(docs, query, expected):
    assert found(docs, query) == expected


def test_the_bigram_index_alone_would_have_matched_the_scattered_items(docs):
    """The cases above are real traps: without the adjacency check they fail."""
    assert {"scattered", "across_texts"} <= candidates(docs, "農業体験")
    assert "js_and_data" in candidates(docs, "pta")
    assert "title_body_edge" not in candidates(docs, "農業体験")  # title and body stay apart


@pytest.mark.parametrize(("query", "expected"), SHORT_CASES)
def test_short_words_work_as_before(docs, query, expected):
    assert found(docs, query) == expected == candidates(docs, query)


def test_precision_and_recall_on_a_generated_corpus(ctx):
    """Against the plain truth (every word a substring of the folded text), 300 items."""
    rng = random.Random(15)
    pieces = ["農業", "体験", "企業体", "子ども", "学習", "公園", "除雪", "支え", "の", "が", "を",
              "javascript", "data", "heptathlon", "Script", "ＤＡＴＡ", "、", " "]
    texts = {}
    for _ in range(300):
        title = "".join(rng.choice(pieces) for _ in range(4))
        body = "".join(rng.choice(pieces) for _ in range(12))
        texts[make_proposal(title=title, body=body).id] = f"{title}\n{body}"
    queries = ["農業体験", "企業体験", "体験学習", "子どもの体験", "pta", "scriptdata",
               "javascript data", "学習公園", "除雪の公園", "業体験"]
    false_candidates = 0
    for query in queries:
        truth = {item_id for item_id, text in texts.items()
                 if all(word in normalize_text(text) for word in runs_of(query))}
        result = set(db.session.scalars(search_sync.matching(query))) & set(texts)
        assert result == truth, query
        pool = set(db.session.scalars(matching_ids(search_sync.SEARCH_KIND, query))) & set(texts)
        false_candidates += len(pool - truth)
    assert false_candidates > 0  # the corpus does hold scattered pairs to reject


@pytest.mark.parametrize("text", [
    "ＡＢＣ ｶﾞｲﾄﾞ ７月", "Straße STRASSE ẞ", "ΟΔΟΣ Σοφία", "ÉCOLE Ærø İstanbul",
    "Ｐａｒｋｉｎｇ ㈱小諸", "ДОРОГА Ёлка", "ﬁle ﬀ", "農業体験　子ども",
])
def test_the_database_folds_text_as_python_does(ctx, text):
    assert db.session.scalar(select(search_fold(literal(text)))) == fold(text)


def test_long_words_are_folded_distinct_and_bounded():
    assert long_words("農業体験 ＰＴＡ 農業体験 駅 公園") == ["農業体験", "pta"]
    essay = " ".join(f"単語{n}番" for n in range(50))
    assert len(long_words(essay)) == MAX_CHECKED_WORDS


def test_both_public_lists_find_the_word_not_the_pairs(app, client):
    """The proposal and project lists, through their pages (one statement does the search)."""
    with app.app_context():
        make_proposal(title="企業体が農業を支える提案", body="子どもの体験学習を広げたい")
        make_proposal(title="農業体験ツアーの提案", body="小諸の畑で")
        make_project(title="企業体と農業の会", summary="子どもの体験", description="")
        make_project(title="農業体験の会", summary="畑で", description="")
        db.session.commit()
    proposals = client.get("/proposals?q=農業体験").get_data(as_text=True)
    assert "農業体験ツアーの提案" in proposals and "企業体が農業を支える提案" not in proposals
    projects = client.get("/projects?q=農業体験").get_data(as_text=True)
    assert "農業体験の会" in projects and "企業体と農業の会" not in projects


@pytest.mark.parametrize(("query", "expected"), SHORT_CASES)
def test_walking_probes_find_what_the_candidate_list_finds(docs, query, expected):
    """``walk=True`` (EXISTS probes per gram, for a page of a common word) matches the
    same proposals as ``IN (candidates)``; a long word keeps the checked candidates."""
    from komoro_engage.proposals.models import Proposal

    walked = select(Proposal.id).where(search_sync.condition(query, walk=True))
    assert _names(docs, walked) == expected


def test_a_page_of_a_common_word_is_the_same_walked_or_listed(app, client, monkeypatch):
    """Past the count's cap the list walks the sort index with probes: same cards, same
    order, as the candidate list gives under the cap."""
    from komoro_engage.proposals import cards

    with app.app_context():
        for n in range(12):
            make_proposal(title=f"公園の提案{n}", body="ベンチ" if n % 2 else "花壇")
            make_proposal(title=f"駅の提案{n}", body="ベンチ")
        db.session.commit()
    listed = client.get("/proposals?q=%E5%85%AC%E5%9C%92&per_page=5&page=2").text
    monkeypatch.setattr(cards, "LIST_COUNT_CAP", 3)  # "3+ 件": the walking plan
    walked = client.get("/proposals?q=%E5%85%AC%E5%9C%92&per_page=5&page=2").text
    cards = [line for line in listed.splitlines() if "card-title" in line]
    assert len(cards) == 5 and all("公園の提案" in line for line in cards)
    assert cards == [line for line in walked.splitlines() if "card-title" in line]
    assert "+" in walked.split('id="result-count"')[1].split("</p>")[0]
