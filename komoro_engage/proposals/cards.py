"""The proposal list's cards: one page of a selection as plain rows, by statements kept
per shape of selection (its filters and search) and run with each request's values."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import func, select

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
from komoro_engage.core.sql import written_parameter
from komoro_engage.extensions import db
from komoro_engage.plan.models import District, PolicyArea
from komoro_engage.proposals.models import Proposal, proposal_policy_area
from komoro_engage.proposals.queries import (
    SORTS,
    ProposalFilters,
    capped_total,
    filter_values,
    shaped_conditions,
    shaped_count,
)

# The list says "1,000+ 件" beyond this: counting every match would cost as much as
# the matches, and nobody pages through more than a thousand proposals.
LIST_COUNT_CAP = 1000


@dataclass(frozen=True, slots=True)
class ProposalCard:
    """One card of the list, read as a plain row: the same names a Proposal has."""

    id: int
    title: str
    status: str
    kind: str
    support_count: int
    comment_count: int
    # Names in the reader's language (``core.listing.card_people``, ``card_area_names``).
    district: str | None
    organisation: str | None
    author: Author | None
    policy_areas: tuple[str, ...]  # a tuple: a card is a key (core/kept_cards.py)


_CARD_ROWS = (
    select(Proposal.id, Proposal.title, Proposal.status, Proposal.kind, Proposal.support_count,
           Proposal.comment_count, District.name.label("district_name"),
           District.name_en.label("district_name_en"),
           Organisation.name.label("organisation_name"), User.nickname,
           User.status.label("person_status"))
    .select_from(Proposal)
    .outerjoin(District, District.id == Proposal.district_id)
    .outerjoin(Organisation, Organisation.id == Proposal.organisation_id)
    .outerjoin(User, User.id == Proposal.author_id)
)


def list_page(filters: ProposalFilters) -> Page:
    """One page of cards for the list, with their count and policy areas: one query (two
    with a keyword, whose count decides how to find the page; a page past the end counts
    apart).

    Plain rows, not Proposal objects: the cards show a dozen columns, and loading them
    as ORM objects with their author, organisation and district joined in and the areas
    loaded after cost three times what the rows do (bench.profile, issue 16). The
    statements are kept per shape of selection and run with the request's values.
    """
    values = filter_values(filters)
    names = tuple(values)
    limit = max(LIST_COUNT_CAP, filters.page * filters.per_page)
    values.update(count_limit=limit + 1, page_size=filters.per_page,
                  page_start=(filters.page - 1) * filters.per_page)
    walk = False
    if filters.q:
        total, exact = capped_total(db.session.scalar(_kept_count(names), values), limit)
        # A common word: walking the sort index finds a page within a few hundred rows.
        walk = not exact
    rows = db.session.execute(_kept_cards(names, filters.sort, walk, not filters.q),
                              values).all()
    if not filters.q:
        total = total_of(rows, filters.page)
        total, exact = capped_total(db.session.scalar(_kept_count(names), values)
                                    if total is None else total, limit)
    names_of_areas, language = area_names(PolicyArea), current_language()
    cards = [ProposalCard(row.id, row.title, row.status, row.kind, row.support_count,
                          row.comment_count, *card_people(row, language),
                          card_area_names(row.area_ids, names_of_areas, language))
             for row in rows]
    return Page(cards, total, filters.page, filters.per_page, exact)


def _counted(names: tuple[str, ...]):
    """The matching proposals' ids to count, up to ``count_limit`` (``shaped_count``)."""
    return shaped_count(names).limit(written_parameter("count_limit"))


@functools.lru_cache(maxsize=KEPT_SHAPES)
def _kept_count(names: tuple[str, ...]):
    """How many proposals of the selection ``names`` match, up to ``count_limit``."""
    return select(func.count()).select_from(_counted(names).subquery())


@functools.lru_cache(maxsize=KEPT_SHAPES)
def _kept_cards(names: tuple[str, ...], sort: str, walk: bool, with_total: bool):
    """The cards of one page (``page_size``, ``page_start``) of the selection ``names``,
    with their count up to ``count_limit`` when ``with_total``."""
    where = shaped_conditions(names, walk)
    columns = [area_ids_column(proposal_policy_area, "proposal_id", Proposal.id)]
    if with_total:
        columns.append(total_column(_counted(names)))
    # The page's numbers written in: PostgreSQL keeps this multi-join query's plan.
    return (_CARD_ROWS.add_columns(*columns).where(*where).order_by(*SORTS[sort])
            .limit(written_parameter("page_size")).offset(written_parameter("page_start")))
