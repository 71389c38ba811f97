"""The project list's cards: one page of a selection as plain rows, by statements kept per
shape of selection (its filters and search) and run with each request's values."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, func, select

from komoro_engage.accounts.models import Organisation, User
from komoro_engage.core.i18n import current_language
from komoro_engage.core.listing import (
    KEPT_SHAPES,
    Author,
    Page,
    area_ids_column,
    area_names,
    card_area_names,
    card_people,
    total_column,
    total_of,
)
from komoro_engage.extensions import db
from komoro_engage.plan.models import District, PolicyArea
from komoro_engage.projects.models import Project, project_policy_area
from komoro_engage.projects.queries import (
    SORTS,
    ProjectFilters,
    filter_values,
    shaped_conditions,
)


@dataclass(frozen=True, slots=True)
class ProjectCard:
    """One card of the project list, read as a plain row: the same names a Project has."""

    id: int
    title: str
    status: str
    summary: str
    capacity: int | None
    member_count: int
    # Names in the reader's language (``core.listing.card_people``, ``card_area_names``).
    district: str | None
    lead_organisation: str | None
    lead_user: Author | None
    policy_areas: tuple[str, ...]  # a tuple: a card is a key (core/kept_cards.py)


_CARD_ROWS = (
    select(Project.id, Project.title, Project.status, Project.summary, Project.capacity,
           Project.member_count, District.name.label("district_name"),
           District.name_en.label("district_name_en"),
           Organisation.name.label("organisation_name"), User.nickname,
           User.status.label("person_status"))
    .select_from(Project)
    .outerjoin(District, District.id == Project.district_id)
    .outerjoin(Organisation, Organisation.id == Project.lead_organisation_id)
    .outerjoin(User, User.id == Project.lead_user_id)
)


def card_page(filters: ProjectFilters) -> Page:
    """One page of cards for the list, with their count and policy areas: one query (a
    page past the end counts apart).

    Plain rows, not Project objects with their lead, organisation and district joined
    in: a card shows a dozen columns (as the proposal list's cards, issue 16).
    """
    values = filter_values(filters)
    names = tuple(values)
    values.update(page_size=filters.per_page, page_start=(filters.page - 1) * filters.per_page)
    rows = db.session.execute(_kept_cards(names, filters.sort), values).all()
    total = total_of(rows, filters.page)
    if total is None:
        total = db.session.scalar(_kept_count(names), values)
    names_of_areas, language = area_names(PolicyArea), current_language()
    cards = [ProjectCard(row.id, row.title, row.status, row.summary, row.capacity,
                         row.member_count, *card_people(row, language),
                         card_area_names(row.area_ids, names_of_areas, language))
             for row in rows]
    return Page(cards, total, filters.page, filters.per_page)


@functools.lru_cache(maxsize=KEPT_SHAPES)
def _kept_count(names: tuple[str, ...]):
    """How many projects of the selection ``names`` there are."""
    counted = select(Project.id).where(*shaped_conditions(names))
    return select(func.count()).select_from(counted.subquery())


@functools.lru_cache(maxsize=KEPT_SHAPES)
def _kept_cards(names: tuple[str, ...], sort: str):
    """The cards of one page (``page_size``, ``page_start``) of the selection ``names``,
    with their count."""
    where = shaped_conditions(names)
    counted = select(Project.id).where(*where)
    return (_CARD_ROWS.add_columns(area_ids_column(project_policy_area, "project_id", Project.id),
                                   total_column(counted))
            .where(*where).order_by(*SORTS[sort])
            .limit(bindparam("page_size", type_=Integer))
            .offset(bindparam("page_start", type_=Integer)))
