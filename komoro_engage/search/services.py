"""Index and search text by character bigrams, on SQLite and PostgreSQL alike.

Japanese has no spaces between words, so a word index finds nothing; a bigram
index finds every two-character word (公園, 除雪, 空家, 子育) and every longer
string through its overlapping bigrams, with the same B-tree on both databases.

How text becomes grams: :func:`normalize_text` folds width and case (NFKC +
casefold), then the text is cut into *runs* of letters and digits; punctuation,
symbols and spaces end a run and are never indexed (so ``%``, ``_`` and quotes in
a query are simply separators, never wildcards). Each run gives its bigrams
plus one gram of its last character followed by :data:`END`, so every
character of a run begins at least one gram.

How a query matches: every run of the query must match (AND). A run of two or
more characters needs all of its bigrams (exact for two-character words; for
longer words the bigrams may come from different places of the item, so lists
search through :func:`komoro_engage.search.words.matches`, which also checks that
each longer word occurs as written). A one-character run is a prefix range on
the same index (``gram`` from ``c`` up to the next code point): single kanji such
as 駅 or 森 are real words, and the range costs nothing at write time, whereas a
unigram index would add about half again as many rows to every item for a query
that is rare.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import islice

from sqlalchemy import Select, and_, bindparam, delete, exists, insert, intersect, select
from sqlalchemy.sql.elements import ColumnElement

from komoro_engage.core.sql import bound_to
from komoro_engage.extensions import db
from komoro_engage.search.models import SearchGram

# Letters and digits of any script; ``_`` is a word character for ``\w`` but not for us.
RUN = re.compile(r"[^\W_]+")
# Follows the last character of a run. A space never occurs inside a run.
END = " "
# A query is cut to this many characters and grams: enough for any real search,
# and a bound on the SQL a pasted essay can produce.
MAX_QUERY_CHARS = 200
MAX_QUERY_GRAMS = 32
BULK_CHUNK_ITEMS = 5000
BULK_SQLITE_CACHE_KIB = -262_144  # negative: KiB, so 256 MB


def normalize_text(text: str) -> str:
    """Fold width and case: ＡＢＣ→abc, ７→7, ｶﾞ→ガ, ㈱→(株). NFKC then casefold."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def runs_of(text: str) -> list[str]:
    """The searchable runs (letters and digits) of ``text`` after normalisation."""
    return RUN.findall(normalize_text(text))


def grams_of(*texts: str) -> set[str]:
    """The distinct grams stored for an item whose texts are ``texts``."""
    grams: set[str] = set()
    for text in texts:
        for run in runs_of(text):
            grams.update(run[i:i + 2] for i in range(len(run) - 1))
            grams.add(run[-1] + END)
    return grams


def index_item(kind: str, item_id: int, *texts: str) -> None:
    """Make the index hold exactly the grams of ``texts`` for this item; flush.

    Only the difference is written, so editing a few words of a long body
    touches a few rows rather than thousands.
    """
    wanted = grams_of(*texts)
    stored = set(
        db.session.scalars(
            select(SearchGram.gram).where(SearchGram.kind == kind, SearchGram.item_id == item_id)
        )
    )
    stale = stored - wanted
    if stale:
        db.session.execute(
            delete(SearchGram)
            .where(SearchGram.kind == kind, SearchGram.item_id == item_id,
                   SearchGram.gram.in_(sorted(stale)))
            .execution_options(synchronize_session=False)
        )
    new = wanted - stored
    if new:
        db.session.execute(
            insert(SearchGram),
            [{"kind": kind, "item_id": item_id, "gram": gram} for gram in sorted(new)],
        )
    db.session.flush()


def remove_item(kind: str, item_id: int) -> None:
    """Forget the item: it no longer matches any query."""
    db.session.execute(
        delete(SearchGram)
        .where(SearchGram.kind == kind, SearchGram.item_id == item_id)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def bulk_index(kind: str, items: Iterable[tuple[int, str]]) -> None:
    """Index many ``(item_id, text)`` pairs quickly (demo data, re-indexing).

    Replaces whatever the items had. Works in chunks so memory stays bounded;
    each chunk's rows are sorted in index order, so the B-tree is written in
    runs instead of at random. PostgreSQL receives them with ``COPY``, SQLite
    with one executemany. Runs in the session's transaction; the caller commits.
    """
    db.session.flush()
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        # A bigger page cache for this connection while the B-tree grows by millions of rows.
        previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = {BULK_SQLITE_CACHE_KIB}")
        try:
            _bulk_insert(connection, kind, items)
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")
    else:
        _bulk_insert(connection, kind, items)


def _bulk_insert(connection, kind: str, items: Iterable[tuple[int, str]]) -> None:
    postgres = connection.dialect.name == "postgresql"
    iterator = iter(items)
    while chunk := list(islice(iterator, BULK_CHUNK_ITEMS)):
        connection.execute(
            delete(SearchGram.__table__).where(
                SearchGram.kind == kind,
                SearchGram.item_id.in_([item_id for item_id, _text in chunk]),
            )
        )
        rows = sorted((gram, item_id) for item_id, text in chunk for gram in grams_of(text))
        if not rows:
            continue
        if postgres:
            _copy_rows(connection, kind, rows)
        else:
            connection.exec_driver_sql(
                "INSERT INTO search_gram (kind, gram, item_id) VALUES (?, ?, ?)",
                [(kind, gram, item_id) for gram, item_id in rows],
            )


def _copy_rows(connection, kind: str, rows: list[tuple[str, int]]) -> None:
    """PostgreSQL's COPY in text format, many times faster than INSERT.

    Grams are letters, digits and the END space, never a tab, newline or
    backslash, so they need no escaping; ``kind`` is checked for the same.
    """
    if any(char in kind for char in "\t\n\\"):
        raise ValueError(f"invalid search kind {kind!r}")
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        with cursor.copy("COPY search_gram (kind, gram, item_id) FROM STDIN") as copy:
            for start in range(0, len(rows), 50_000):
                copy.write("".join(
                    f"{kind}\t{gram}\t{item_id}\n" for gram, item_id in rows[start:start + 50_000]
                ))
    finally:
        cursor.close()


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """The bigrams and the single characters a query needs, deduplicated and bounded."""
    bigrams: list[str] = []
    singles: list[str] = []
    for run in runs_of(query[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]:
        if len(run) == 1:
            singles.append(run)
        else:
            bigrams.extend(run[i:i + 2] for i in range(len(run) - 1))
    bigrams = list(dict.fromkeys(bigrams))
    # "駅" adds nothing to a query that already needs "駅前".
    singles = [c for c in dict.fromkeys(singles) if not any(g[0] == c for g in bigrams)]
    return bigrams[:MAX_QUERY_GRAMS], singles[: max(0, MAX_QUERY_GRAMS - len(bigrams))]


def query_values(query: str) -> dict[str, str]:
    """The grams ``query`` needs, as the named values of the statements below:
    ``gram_<i>`` per bigram, ``from_<i>`` and ``to_<i>`` per single character (its prefix
    range). Their names are the statements' shape: a list builds the statement once per
    shape and sends each query's grams as values (``shaped_*`` below)."""
    bigrams, singles = query_terms(query)
    values = {f"gram_{i}": gram for i, gram in enumerate(bigrams)}
    for i, char in enumerate(singles):
        values[f"from_{i}"], values[f"to_{i}"] = char, _next_code_point(char)
    return values


def _gram_names(names: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The bigrams' names and the single characters' (from, to) names among ``names``."""
    names = tuple(names)
    return ([name for name in names if name.startswith("gram_")],
            [(name, "to_" + name[5:]) for name in names if name.startswith("from_")])


def shaped_matching_ids(kind: str, names: Iterable[str], bind=bindparam) -> Select | None:
    """:func:`matching_ids` with its grams as the bound parameters ``names`` (of
    :func:`query_values`) made by ``bind``: without values, a statement to be run with
    them; ``core.sql.bound_to(values)``, with them."""
    bigrams, singles = _gram_names(names)
    parts = [
        select(SearchGram.item_id).where(SearchGram.kind == kind,
                                         SearchGram.gram == bind(name))
        for name in bigrams
    ]
    parts += [
        select(SearchGram.item_id)
        .where(SearchGram.kind == kind, SearchGram.gram > bind(first),
               SearchGram.gram < bind(beyond))
        .distinct()
        for first, beyond in singles
    ]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    matched = intersect(*parts).subquery("search_match")
    return select(matched.c.item_id)


def matching_ids(kind: str, query: str) -> Select | None:
    """A ``SELECT item_id`` of the items of ``kind`` holding every gram of ``query``.

    The candidates: a word of three or more characters may be there only as
    scattered pairs. :func:`komoro_engage.search.words.matches` narrows them to
    the items that hold each word as written; use this alone only where that does
    not matter (removal checks, the bench). ``None`` when the query has nothing
    searchable (empty, or only punctuation): the caller then shows everything, or
    nothing, as its page requires.
    """
    values = query_values(query)
    return shaped_matching_ids(kind, values, bound_to(values))


def shaped_holding_every_gram(kind: str, names: Iterable[str], id_column,
                              bind=bindparam) -> ColumnElement | None:
    """WHERE clause: the row ``id_column`` holds every gram (the bound parameters ``names``
    of :func:`query_values`, made by ``bind``), one ``EXISTS`` probe of the index's key
    per gram; ``None`` when the query has nothing searchable.

    The same items as ``id_column IN (matching_ids(…))``, for a query that walks the
    rows in the order of a sort index and stops after a page: when the query's grams
    are common (the count passed its cap), twenty matches are found within a few hundred
    rows, where ``IN`` first collects every match and sorts them (100,000 proposals and
    a common pair: 25 ms against 0.4 ms on SQLite). For rare grams ``IN`` is the better
    plan, and the list keeps it.
    """
    bigrams, singles = _gram_names(names)
    probes = [exists().where(SearchGram.kind == kind, SearchGram.gram == bind(name),
                             SearchGram.item_id == id_column) for name in bigrams]
    probes += [exists().where(SearchGram.kind == kind, SearchGram.item_id == id_column,
                              SearchGram.gram > bind(first),
                              SearchGram.gram < bind(beyond))
               for first, beyond in singles]
    return and_(*probes) if probes else None


def _next_code_point(char: str) -> str:
    """The character right after ``char``, skipping the surrogates UTF-8 cannot hold."""
    following = ord(char) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return chr(following)
