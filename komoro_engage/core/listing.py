"""What every public list shares: plan-link filters and pages (numbers: ``core/numbers.py``).

Proposals and projects both filter by policy area, priority item, measure and
district, search by keyword and page the same way; each feature keeps only its
own statuses and sorts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from komoro_engage.core.fragments import data_from_plan
from komoro_engage.core.sql import ids_in, joined_ids, written_slice
from komoro_engage.extensions import db

MAX_PAGE_SIZE = 100
# The lists keep their statements by the names of the selection's parameters (their
# filters and search; ``proposals/cards.py``, ``projects/cards.py``): built for every
# request they cost more than running them on SQLite (a third of the proposal list's
# reading, bench.profile, issue 16). Bounded: a hostile query string makes new shapes,
# not a growing cache.
KEPT_SHAPES = 256


def link_conditions(id_column: ColumnElement,
                    links: Iterable[tuple[int | None, object, str]]) -> list:
    """``EXISTS (SELECT FROM link WHERE <feature>_id = id AND <column> = wanted)`` per wanted link.

    ``links`` holds (the wanted id, a bound parameter for it or None; the link table;
    the column's name); the link table's first column is the feature's id. EXISTS (not
    ``IN (SELECT …)``) lets the planner walk the list's sort index and probe the link's
    primary key row by row.
    """
    where = []
    for wanted, table, column in links:
        if wanted is not None:
            own = next(iter(table.primary_key.columns))
            where.append(exists().where(own == id_column, table.c[column] == wanted))
    return where


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    # False when the total was counted only up to a cap: there are more than ``total``.
    total_exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or not self.total_exact

    @property
    def more(self) -> str:
        """"+" after a capped total or page count ("1,000+ 件"), else nothing."""
        return "" if self.total_exact else "+"

    @property
    def has_prev(self) -> bool:
        return self.page > 1


@dataclass(frozen=True, slots=True)
class Named:
    """A district, organisation or policy area as a list card names it (``localized``
    reads it like the row itself): cards are read as plain rows, not ORM objects."""

    name: str
    name_en: str | None = None


@dataclass(frozen=True, slots=True)
class Author:
    """What ``display_name`` needs of a card's person."""

    nickname: str
    status: str


def area_ids_column(link_table, item_column: str, item_id: ColumnElement):
    """The ids of an item's policy areas as one text column ("3,1"; NULL for none), through
    ``link_table`` (``proposal_policy_area`` …) by its ``item_column``: a list page's cards
    read their areas with their rows, named by :func:`card_areas` from the plan kept in
    memory, instead of a statement of their own (on PostgreSQL a round trip, issue 16)."""
    return joined_ids(link_table.c.policy_area_id,
                      link_table.c[item_column] == item_id).label("area_ids")


def area_names(area) -> dict[int, tuple[int, Named]]:
    """Each policy area's (model ``area``) number and names by id, kept while the plan is
    unchanged: a page asks once and names every card's areas with :func:`card_areas`."""
    return data_from_plan(("card-area-names", area.__tablename__), lambda: {
        row.id: (row.number, Named(row.name, row.name_en))
        for row in db.session.execute(select(area.id, area.number, area.name, area.name_en))})


def card_areas(area_ids: str | None, names: dict[int, tuple[int, Named]]) -> list[Named]:
    """The policy areas an :func:`area_ids_column` value lists, in plan order, named by
    :func:`area_names`."""
    if not area_ids:
        return []
    if "," not in area_ids:  # most cards have one
        return [names[int(area_ids)][1]]
    ids = sorted(ids_in(area_ids), key=lambda area_id: names[area_id][0])
    return [names[area_id][1] for area_id in ids]


def total_column(counted: Select):
    """How many rows ``counted`` gives, as a column of the page's own statement (named
    ``page_total``): uncorrelated, so SQLite and PostgreSQL count once per statement, and
    a list page needs no statement of its own for its count (issue 16)."""
    return (select(func.count()).select_from(counted.order_by(None).subquery())
            .correlate(None).scalar_subquery().label("page_total"))


def total_of(rows: list, page: int) -> int | None:
    """A page's total from its rows' :func:`total_column`; a page with no rows cannot
    carry it: none on the first page, else None (a page past the end: count apart)."""
    if rows:
        return rows[0].page_total
    return 0 if page == 1 else None


def name_in(language: str, name: str | None, name_en: str | None = None) -> str | None:
    """The name (Japanese ``name``, English ``name_en``) as ``core.i18n.localized`` gives it
    to a reader of ``language``; None for no name."""
    return name_en if language == "en" and name_en else name


def card_area_names(area_ids: str | None, names: dict[int, tuple[int, Named]],
                    language: str) -> tuple[str, ...]:
    """:func:`card_areas` as a reader of ``language`` reads them: a list card's names come
    in its reader's language, once per card in Python, instead of a ``localized`` call per
    name in its template (a fifth of a card's rendering, issue 16). A tuple: a card is the
    key it is kept under (core/kept_cards.py)."""
    return tuple(name_in(language, area.name, area.name_en)
                 for area in card_areas(area_ids, names))


def card_people(row, language: str) -> tuple[str | None, str | None, Author | None]:
    """A card row's district (its name in ``language``; None: citywide), organisation's
    name and person (columns ``district_name``, ``district_name_en``,
    ``organisation_name``, ``nickname``, ``person_status``)."""
    return (name_in(language, row.district_name, row.district_name_en), row.organisation_name,
            Author(row.nickname, row.person_status) if row.nickname is not None else None)


def count_of(query: Select) -> int:
    """How many rows an ordered ``select`` would give (one query)."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def simple_page(query: Select, page: int, per_page: int) -> Page:
    """Any ordered ``select(Model)`` as one page and its total (2 queries). The page's
    numbers are written into the SQL, as ``accounts.queries.page_of`` writes them, so
    PostgreSQL can keep one plan for the statement (``core.sql.written_slice``)."""
    total = count_of(query)
    items = list(db.session.scalars(written_slice(query, per_page, (page - 1) * per_page))
                 .unique())
    return Page(items, total, page, per_page)
