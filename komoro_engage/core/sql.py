"""SQL helpers that differ by database dialect."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from flask import abort
from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from komoro_engage.extensions import db

Statement = TypeVar("Statement")
_built: dict[tuple[Callable, str], object] = {}


def insert_or_ignore(table):
    """An INSERT that can take ``.on_conflict_do_nothing`` in the session's dialect."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def built_once_per_dialect(build: Callable[[], Statement]) -> Statement:
    """``build()``'s statement for the session's dialect, built on first use and kept.

    For the statements of the busiest POSTs (a vote, a ballot): building an upsert's
    expression cost more Python than running it. ``build`` takes its values as
    ``bindparam``s and may call ``insert_or_ignore`` (hence one per dialect)."""
    key = (build, db.session.get_bind().dialect.name)
    if key not in _built:
        _built[key] = build()
    return _built[key]  # type: ignore[return-value]


def bound_to(values: Mapping[str, object]) -> Callable[[str], BindParameter]:
    """``bindparam(name, value)`` from ``values``: for a clause built by a shaped builder
    (one taking its parameters' names and a ``bind``) to be run once with those values.
    Kept statements take ``bindparam`` itself, no values, and get them when run."""
    return lambda name: bindparam(name, values[name])


def one_or_404(statement, params: dict):
    """The one object a statement built once finds with ``params``, or 404: Flask-SQLAlchemy's
    ``db.one_or_404`` takes no bound values. A collection may be joined in (``unique()``:
    one object however many rows its collection adds)."""
    return one_row_or_404(statement, params)[0]


def one_row_or_404(statement, params: dict):
    """:func:`one_or_404` for a statement whose row carries more than the object (its
    entities and columns, by name), or 404."""
    found = db.session.execute(statement, params).unique().one_or_none()
    if found is None:
        abort(404)
    return found


def written_number(n: int):
    """``n`` for a LIMIT or OFFSET written into the SQL, not sent as a parameter.

    psycopg prepares a statement on the server after five runs, and PostgreSQL then
    keeps one generic plan when its estimated cost is close to the plans made for each
    run's values. With LIMIT as a parameter the generic plan cannot know how few rows a
    page wants and never qualifies, so every run is planned afresh: the proposal list
    filtered by a policy area took 0.9 ms to plan and 0.2 ms to run (issue 16). Written
    in, a page's numbers are part of the statement and planning stops after five runs.
    SQLAlchemy's statement cache is unchanged (a post-compile parameter)."""
    return literal(n, Integer, literal_execute=True)


def written_slice(query: Select, limit: int, offset: int) -> Select:
    """``query`` limited to ``limit`` rows from ``offset``, both :func:`written_number`:
    the paging helpers' one way to cut a page (``core.listing.simple_page``,
    ``accounts.queries.page_of``)."""
    return query.limit(written_number(limit)).offset(written_number(offset))


# The page's numbers of a statement kept with :func:`kept_slice`.
PAGE_LIMIT, PAGE_OFFSET = "page_limit", "page_offset"


def kept_slice(query: Select) -> Select:
    """:func:`written_slice` for a statement built once and kept: LIMIT and OFFSET are
    the parameters ``page_limit`` and ``page_offset``, written into the SQL when it runs.
    A statement cut afresh on each request is a new object, whose cache key SQLAlchemy
    works out again by walking all of it (``accounts.queries.page_of(kept=True)``)."""
    return query.limit(written_parameter(PAGE_LIMIT)).offset(written_parameter(PAGE_OFFSET))


def written_text(value: str):
    """A constant string (a status, a target type) written into the SQL like
    :func:`written_number`. PostgreSQL plans a prepared statement with no parameters once
    per connection; with the staff queue's statuses as parameters it planned the card
    statement on every request at 100,000 proposals (1.8 ms to plan, 1.5 ms to run).
    Only for the application's own constants: never for what a person typed."""
    return literal(str(value), String, literal_execute=True)


def written_parameter(name: str):
    """:func:`written_number` as a parameter named ``name``, for a statement kept and run
    with its numbers: written into the SQL when run, as that one's."""
    return bindparam(name, type_=Integer, literal_execute=True)


def joined_ids(id_column, *where):
    """The ``id_column`` values ``where`` selects as one text column ("3,1"; NULL for
    none): a few ids riding on another statement as a scalar subquery, instead of a
    statement of their own (on PostgreSQL a round trip, issue 16). :func:`ids_in` reads it."""
    return (select(func.aggregate_strings(cast(id_column, String), ","))
            .where(*where).scalar_subquery())


def ids_in(joined: str | None) -> list[int]:
    """The ids a :func:`joined_ids` column holds, in the order the database gave them."""
    return [int(value) for value in joined.split(",")] if joined else []
