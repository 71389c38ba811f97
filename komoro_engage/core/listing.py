"""What every public list shares: plan-link filters and pages (numbers: ``core/numbers.py``).

Proposals and projects both filter by policy area, priority item, measure and
district, search by keyword and page the same way; each feature keeps only its
own statuses and sorts.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from komoro_engage.extensions import db

MAX_PAGE_SIZE = 100


def link_conditions(id_column: ColumnElement,
                    links: Iterable[tuple[int | None, object, str]]) -> list:
    """``EXISTS (SELECT FROM link WHERE <feature>_id = id AND <column> = wanted)`` per wanted link.

    ``links`` holds (wanted id or None, link table, column name); the link table's
    first column is the feature's id. EXISTS (not ``IN (SELECT …)``) lets the planner
    walk the list's sort index and probe the link's primary key row by row.
    """
    where = []
    for wanted, table, column in links:
        if wanted:
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


@functools.cache
def _areas_statement(link_table, item_column: str, area):
    """Built once per list (the link table, its item column, the area model), the page's
    ids bound (expanding): every list page asks, and building cost about as much as
    running it (issue 16)."""
    item = link_table.c[item_column]
    return (select(item, area.name, area.name_en)
            .join(area, area.id == link_table.c.policy_area_id)
            .where(item.in_(bindparam("ids", expanding=True))).order_by(item, area.number))


def card_areas(rows, link_table, item_column: str, area) -> dict[int, list[Named]]:
    """The policy areas (model ``area``) of each card's item (``rows`` with ``.id``), in
    plan order: one query through ``link_table`` (``proposal_policy_area`` …), none for
    no rows."""
    areas: dict[int, list[Named]] = {row.id: [] for row in rows}
    if areas:
        for item_id, name, name_en in db.session.execute(
                _areas_statement(link_table, item_column, area), {"ids": list(areas)}):
            areas[item_id].append(Named(name, name_en))
    return areas


def card_people(row) -> tuple[Named | None, Named | None, Author | None]:
    """A card row's district, organisation and person (columns ``district_name``,
    ``district_name_en``, ``organisation_name``, ``nickname``, ``person_status``)."""
    return (Named(row.district_name, row.district_name_en) if row.district_name else None,
            Named(row.organisation_name) if row.organisation_name else None,
            Author(row.nickname, row.person_status) if row.nickname is not None else None)


def count_of(query: Select) -> int:
    """How many rows an ordered ``select`` would give (one query)."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def simple_page(query: Select, page: int, per_page: int) -> Page:
    """Any ordered ``select(Model)`` as one page and its total (2 queries)."""
    total = count_of(query)
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
                 .unique())
    return Page(items, total, page, per_page)
