"""The bigram search index: recall, precision, width folding, AND, hostile queries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.search.models import SearchGram
from komoro_engage.search.services import (
    MAX_QUERY_GRAMS,
    bulk_index,
    grams_of,
    index_item,
    matching_ids,
    normalize_text,
    remove_item,
)
from tests.factories import make_user

KIND = "test_doc"

DOCS = {
    1: "駅前の公園に遊具を増やしてほしい",
    2: "冬の除雪を早朝に。通学路が危ないです",
    3: "空家を子育て世帯の交流の場に活用する提案",
    4: "公民館の庭園を市民が手入れする",  # 公…園 and 子…育 present, never adjacent
    5: "子供を育てる親の集まりを小諸駅で",
    6: "ＬＩＮＥで７月のイベントを知らせる（ﾊﾟﾝﾌﾚｯﾄも）",
    7: "Free Wi-Fi in the PARKING area, 100% coverage",
    8: "駅",
    9: "小諸市の公園と除雪の両方について",
}


def search(query: str, kind: str = KIND) -> set[int] | None:
    statement = matching_ids(kind, query)
    return None if statement is None else set(db.session.scalars(statement))


@pytest.fixture
def docs(ctx):
    for item_id, text in DOCS.items():
        index_item(KIND, item_id, text)


def test_normalize_text_folds_width_and_case():
    assert normalize_text("ＡＢＣ") == "abc"
    assert normalize_text("７月") == "7月"
    assert normalize_text("ｶﾞｲﾄﾞ") == "ガイド"
    assert normalize_text("Straße") == "strasse"


def test_two_character_words_are_found(docs):
    assert search("公園") == {1, 9}
    assert search("除雪") == {2, 9}
    assert search("空家") == {3}
    assert search("子育") == {3}


def test_characters_that_are_present_but_not_adjacent_do_not_match(docs):
    # Item 4 has 公 and 園, item 5 has 子 and 育: neither as a word.
    assert 4 not in search("公園")
    assert 5 not in search("子育")
    assert search("園公") == set()


def test_longer_words_and_phrases(docs):
    assert search("子育て世帯") == {3}
    assert search("小諸駅") == {5}
    assert search("通学路が危ない") == {2}


def test_full_and_half_width_forms_match_each_other(docs):
    assert search("line") == {6}
    assert search("ＬＩＮＥ") == {6}
    assert search("7月") == {6}
    assert search("７月") == {6}
    assert search("パンフレット") == {6}  # stored as half-width ﾊﾟﾝﾌﾚｯﾄ
    assert search("ﾊﾟﾝﾌ") == {6}
    assert search("ｗｉ－ｆｉ") == {7}


def test_latin_words_ignore_case_and_match_inside_words(docs):
    assert search("parking") == {7}
    assert search("Park") == {7}
    assert search("wi-fi") == {7}
    assert search("coverage free") == {7}


def test_every_word_of_a_query_must_match(docs):
    assert search("公園 除雪") == {9}
    assert search("公園　除雪") == {9}  # full-width space
    assert search("公園、除雪。") == {9}
    assert search("公園 空家") == set()


def test_a_single_character_finds_it_anywhere_in_a_word(docs):
    # In the middle (駅前), at the end of a word (小諸駅) and alone (駅).
    assert search("駅") == {1, 5, 8}
    assert search("雪") == {2, 9}
    assert search("駅 公園") == {1}
    assert search("z") == set()


def test_queries_with_nothing_searchable_give_none(docs):
    for query in ("", "   ", "%", "_", "%%", "!?・、。", "'\"", "--"):
        assert matching_ids(KIND, query) is None, query


def test_like_wildcards_and_sql_are_plain_text(docs):
    assert search("100%") == {7}
    assert search("%園") == search("園")
    assert search("公_園") == search("公 園")
    assert 4 in search("公_園")  # both characters, as two words: no wildcard match of "公園"
    assert search("'; DROP TABLE search_gram; --") == set()
    assert search("公園' OR '1'='1") == set()
    assert db.session.scalar(select(func.count()).select_from(SearchGram)) > 0


def test_kinds_are_separate(docs):
    index_item("other_kind", 1, "除雪")
    assert search("除雪", kind="other_kind") == {1}
    assert search("公園", kind="other_kind") == set()


def test_reindexing_replaces_the_old_text(docs):
    index_item(KIND, 1, "図書館の開館時間を延長して")
    assert 1 not in search("公園")
    assert search("図書館") == {1}
    stored = set(db.session.scalars(
        select(SearchGram.gram).where(SearchGram.kind == KIND, SearchGram.item_id == 1)))
    assert stored == grams_of("図書館の開館時間を延長して")


def test_several_texts_are_indexed_as_separate_runs(ctx):
    index_item(KIND, 20, "公", "園")  # a title ending and a body starting must not join
    assert search("公園") == set()
    assert search("公") == {20}


def test_remove_item(docs):
    remove_item(KIND, 9)
    assert search("公園") == {1}
    assert db.session.scalar(
        select(func.count()).where(SearchGram.kind == KIND, SearchGram.item_id == 9)) == 0


def test_bulk_index_matches_index_item_and_can_run_twice(ctx):
    bulk_index(KIND, DOCS.items())
    bulk_index(KIND, DOCS.items())
    bulk_rows = set(db.session.execute(
        select(SearchGram.item_id, SearchGram.gram).where(SearchGram.kind == KIND)))
    for item_id, text in DOCS.items():
        index_item(KIND, item_id, text)
    single_rows = set(db.session.execute(
        select(SearchGram.item_id, SearchGram.gram).where(SearchGram.kind == KIND)))
    assert bulk_rows == single_rows
    assert len(bulk_rows) == sum(len(grams_of(text)) for text in DOCS.values())
    assert search("子育") == {3}


def test_bulk_index_takes_a_generator_larger_than_one_chunk(ctx):
    bulk_index(KIND, ((n, f"第{n}番の提案 公園") for n in range(1, 2501)))
    assert len(search("公園")) == 2500
    assert search("2500") == {2500}


def test_usable_inside_a_query_of_another_table(ctx):
    users = [make_user(nickname=name) for name in ("除雪ボランティア", "公園好き", "山歩き")]
    for user in users:
        index_item("user_test", user.id, user.nickname)
    found = db.session.scalars(
        select(User.nickname).where(User.id.in_(matching_ids("user_test", "公園")))
    ).all()
    assert found == ["公園好き"]


def test_a_pasted_essay_gives_a_bounded_query(docs):
    essay = "".join(DOCS.values()) * 5
    statement = matching_ids(KIND, essay)
    assert str(statement).count("search_gram.gram") <= MAX_QUERY_GRAMS * 2
    assert search(essay) == set()
