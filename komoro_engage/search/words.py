"""Words, not scattered pairs: a word of three or more characters must occur as written.

The bigram index (``services.py``) finds the *candidates*: items that hold every
character pair of every word. For 「農業体験」 those include an item with 農業, 業体
and 体験 in three different places (「企業体が農業を支え、子どもの体験…」), and for
``pta`` one with "script" and "data". So :func:`matches` also looks for each
longer word in the item's own text, folded the same way as the query, as a
substring, in the same SQL statement. The index keeps its rows (no positions, no
copy of the text): adjacency costs nothing at write time, and a list still runs
one statement for its search.

Two-character words need no check (their one bigram is the word) and one
character is found by the index's prefix range, so short words work as before.

The fold runs in the database on both engines and agrees with :func:`fold` here:
NFKC, lower case, and the two foldings by which Python's ``casefold`` (the
index's) goes beyond lower case after NFKC for living languages, ß→ss and ς→σ.
SQLite calls :func:`fold` itself (registered on every connection); PostgreSQL
spells it with ``normalize`` and ``lower`` under the ICU root collation, because
the database's own locale may be "C", whose ``lower`` knows only ASCII.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable

from sqlalchemy import bindparam, event, literal, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.sql.selectable import Subquery
from sqlalchemy.types import Text

from komoro_engage.core.sql import bound_to
from komoro_engage.search.services import (
    MAX_QUERY_CHARS,
    RUN,
    query_values,
    shaped_holding_every_gram,
    shaped_matching_ids,
)

# Each checked word reads the item's text once more: a bound for pasted essays.
# Beyond it, the remaining words still have to match through their bigrams.
MAX_CHECKED_WORDS = 8
_BEYOND_LOWER = str.maketrans({"ß": "ss", "ς": "σ"})
# What SQLAlchemy's ``autoescape`` uses; written here because a bound word is escaped before.
ESCAPE = "/"


def fold(text: str | None) -> str:
    """NFKC, lower case, ß→ss, ς→σ: the text as the adjacency check compares it."""
    return unicodedata.normalize("NFKC", text or "").lower().translate(_BEYOND_LOWER)


def long_words(query: str) -> list[str]:
    """The distinct words of three or more characters in ``query``, folded, bounded."""
    words = RUN.findall(fold(query[: MAX_QUERY_CHARS * 2]))
    return list(dict.fromkeys(w for w in words if len(w) >= 3))[:MAX_CHECKED_WORDS]


class search_fold(GenericFunction):  # noqa: N801 (SQL function names are lower case)
    """``search_fold(text)``: :func:`fold` in SQL."""

    type = Text()
    inherit_cache = True


@compiles(search_fold, "postgresql")
def _fold_on_postgresql(element, compiler, **kw) -> str:
    text = compiler.process(element.clauses, **kw)
    return (f"replace(translate(lower(normalize({text}, NFKC) COLLATE \"und-x-icu\"), "
            "'ς', 'σ'), 'ß', 'ss')")


@event.listens_for(Engine, "connect")
def _register_fold_on_sqlite(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("search_fold", 1, fold, deterministic=True)


def search_values(query: str) -> dict[str, str]:
    """The named values of a search for ``query``: its grams (``query_values``) and each
    longer word, escaped for LIKE (``word_<i>``). Empty when nothing is searchable."""
    values = query_values(query)
    if values:
        values.update((f"word_{i}", _like_escaped(word))
                      for i, word in enumerate(long_words(query)))
    return values


def _like_escaped(word: str) -> str:
    """``word`` with LIKE's wildcards and the escape character escaped by ``ESCAPE``."""
    for char in (ESCAPE, "%", "_"):
        word = word.replace(char, ESCAPE + char)
    return word


def shaped_matches(kind: str, names: Iterable[str], id_column, *text_columns,
                   walk: bool = False, bind=bindparam) -> ColumnElement | None:
    """:func:`matches` with the query's grams and words as the bound parameters ``names``
    (of :func:`search_values`) made by ``bind``: without values, a list keeps the clause
    per shape of query and runs it with each query's values (issue 16)."""
    names = tuple(names)
    candidates = shaped_matching_ids(kind, names, bind)
    if candidates is None:
        return None
    words = [bind(name) for name in names if name.startswith("word_")]
    if not words:
        return (shaped_holding_every_gram(kind, names, id_column, bind) if walk
                else id_column.in_(candidates))
    # The candidates' rows first, behind OFFSET 0, which neither database flattens
    # into the outer query: otherwise PostgreSQL's planner, taking the fold for cheap,
    # folds every row of the table before joining (2.9 s instead of 0.1 s at 20,000).
    fenced = (select(id_column.label("item_id"), *text_columns).where(id_column.in_(candidates))
              .correlate(None).offset(0).subquery("search_candidate"))
    texts = [fenced.c[column.key] for column in text_columns]
    # A newline between the texts: no word runs from a title into a body.
    joined = texts[0]
    for column in texts[1:]:
        joined = joined.concat(literal("\n")).concat(column)
    # The text as stored holds most words as the query folds them (Japanese, lower-case
    # Latin): that cheap test accepts them, and only the rest pays for the fold
    # (NFKC costs 60–150 µs per item on either database, LIKE a few).
    folded = search_fold(joined)
    verified = select(fenced.c.item_id).where(*(
        or_(joined.contains(word, escape=ESCAPE), folded.contains(word, escape=ESCAPE))
        for word in words))
    return id_column.in_(verified)


def shaped_candidates(kind: str, names: Iterable[str], bind=bindparam) -> Subquery | None:
    """The items holding every gram of a query with no word to verify (two characters, or
    single ones) as a subquery of ``item_id``, each item once, to join; ``None`` for a
    query with words (their rows are read to verify them) or with nothing searchable.

    For a count up to a cap: joined, SQLite walks the gram's index and stops at the cap,
    where ``IN`` first collects every match (100,000 proposals, 公園 in 5,526 of them: the
    count 1.05 → 0.38 ms, issue 16)."""
    names = tuple(names)
    if any(name.startswith("word_") for name in names):
        return None
    candidates = shaped_matching_ids(kind, names, bind)
    return None if candidates is None else candidates.subquery("search_candidate")


def matches(kind: str, query: str, id_column, *text_columns,
            walk: bool = False) -> ColumnElement | None:
    """WHERE clause: the row (``id_column``, indexed as ``kind`` from ``text_columns``)
    matches every word of ``query``, each word's characters adjacent.

    Give the same texts, in the same order, that were indexed. ``None`` when the
    query has nothing searchable (empty, or only punctuation). ``walk``: for a page
    read along a sort index when many rows match (``shaped_holding_every_gram``).
    """
    values = search_values(query)
    return shaped_matches(kind, values, id_column, *text_columns, walk=walk,
                          bind=bound_to(values))
