"""Reading proposals: the filtered, sorted, paginated list and the detail page.

Each function runs a fixed number of SQL statements whatever the data size;
``tests/proposals/test_query_counts.py`` holds them to that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from komoro_engage.extensions import db
from komoro_engage.proposals import search_sync
from komoro_engage.proposals.models import (
    PUBLIC_STATUSES,
    Comment,
    Proposal,
    ProposalKind,
    ProposalPhoto,
    proposal_policy_area,
    proposal_priority_item,
)
from komoro_engage.staff.models import active_links_to

SORTS = {
    "new": (Proposal.published_at.desc(), Proposal.id.desc()),
    "supported": (Proposal.support_count.desc(), Proposal.id.desc()),
    "discussed": (Proposal.comment_count.desc(), Proposal.id.desc()),
    "active": (Proposal.last_activity_at.desc(), Proposal.id.desc()),
}
DEFAULT_SORT = "new"
MAX_PAGE_SIZE = 100
COMMENTS_PAGE_SIZE = 30


def _positive_int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 2**31 else None


@dataclass
class ProposalFilters:
    """The list's query string, read leniently: unknown or malformed values are ignored."""

    area: int | None = None
    item: int | None = None
    measure: int | None = None
    district: int | None = None
    status: str | None = None
    kind: str | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_args(cls, args: MultiDict) -> ProposalFilters:
        status = args.get("status")
        kind = args.get("kind")
        sort = args.get("sort")
        default_size = current_app.config["PAGE_SIZE"]
        per_page = _positive_int(args.get("per_page")) or default_size
        return cls(
            area=_positive_int(args.get("area")),
            item=_positive_int(args.get("item")),
            measure=_positive_int(args.get("measure")),
            district=_positive_int(args.get("district")),
            status=status if status in PUBLIC_STATUSES else None,
            kind=kind if kind in tuple(ProposalKind) else None,
            q=(args.get("q") or "").strip()[:100],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=min(_positive_int(args.get("page")) or 1, 100_000),
            per_page=min(per_page, MAX_PAGE_SIZE),
        )

    def query_args(self, **changes) -> dict:
        """The non-default values as URL arguments, for links to other pages or sorts."""
        values = {"area": self.area, "item": self.item, "measure": self.measure,
                  "district": self.district, "status": self.status, "kind": self.kind,
                  "q": self.q or None, "sort": None if self.sort == DEFAULT_SORT else self.sort,
                  "page": self.page if self.page > 1 else None}
        if self.per_page != current_app.config["PAGE_SIZE"]:
            values["per_page"] = self.per_page
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}


@dataclass
class Page:
    items: list[Proposal]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def conditions(filters: ProposalFilters) -> list:
    """WHERE clauses for the public proposals matching ``filters``.

    Plain conditions on ``proposal`` (no ``id IN (SELECT id FROM proposal …)``) so
    the database can walk the index of the chosen sort and stop after one page.
    """
    where = [Proposal.status == filters.status if filters.status
             else Proposal.status.in_(PUBLIC_STATUSES)]
    if filters.kind:
        where.append(Proposal.kind == filters.kind)
    if filters.district:
        where.append(Proposal.district_id == filters.district)
    links = ((filters.area, proposal_policy_area, "policy_area_id"),
             (filters.item, proposal_priority_item, "priority_item_id"))
    for wanted, table, column in links:
        if wanted:
            where.append(Proposal.id.in_(
                select(table.c.proposal_id).where(table.c[column] == wanted)))
    if filters.measure:
        # Only links staff have not undone.
        where.append(Proposal.id.in_(active_links_to(filters.measure)))
    # A query with nothing searchable in it (only punctuation) filters nothing.
    matching = search_sync.matching(filters.q) if filters.q else None
    if matching is not None:
        where.append(Proposal.id.in_(matching))
    return where


def page_of(filters: ProposalFilters, *options) -> Page:
    """One page of public proposals and the total: 2 queries plus any selectin ``options``."""
    where = conditions(filters)
    total = db.session.scalar(select(func.count(Proposal.id)).where(*where))
    query = (
        select(Proposal).where(*where).options(*options)
        .order_by(*SORTS[filters.sort])
        .limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    )
    return Page(list(db.session.scalars(query).unique()), total, filters.page, filters.per_page)


def simple_page(query, page: int, per_page: int) -> Page:
    """Any ordered ``select(Proposal)`` as one page and its total (2 queries)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total, page, per_page)


def list_page(filters: ProposalFilters) -> Page:
    """One page for the list: authors, organisations, districts and areas loaded (3 queries)."""
    return page_of(filters, joinedload(Proposal.author), joinedload(Proposal.organisation),
                   joinedload(Proposal.district), selectinload(Proposal.policy_areas))


def proposal_detail(proposal_id: int) -> Proposal:
    """A proposal with everything its page shows, or 404."""
    return db.one_or_404(
        select(Proposal).where(Proposal.id == proposal_id).options(
            joinedload(Proposal.author), joinedload(Proposal.organisation),
            joinedload(Proposal.district), joinedload(Proposal.ku),
            selectinload(Proposal.policy_areas), selectinload(Proposal.priority_items),
            selectinload(Proposal.measures),
            selectinload(Proposal.photo_links).joinedload(ProposalPhoto.photo),
        )
    )


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment]


def comment_threads(proposal: Proposal, page: int = 1) -> tuple[list[Thread], int]:
    """A page of top-level comments (oldest first) with all their replies: 3 queries."""
    top = (select(Comment).where(Comment.proposal_id == proposal.id,
                                 Comment.parent_id.is_(None)))
    total = db.session.scalar(select(func.count()).select_from(top.subquery()))
    parents = list(db.session.scalars(
        top.options(joinedload(Comment.author)).order_by(Comment.created_at, Comment.id)
        .limit(COMMENTS_PAGE_SIZE).offset((page - 1) * COMMENTS_PAGE_SIZE)))
    replies: dict[int, list[Comment]] = {parent.id: [] for parent in parents}
    if parents:
        for reply in db.session.scalars(
            select(Comment).where(Comment.parent_id.in_(list(replies)))
            .options(joinedload(Comment.author)).order_by(Comment.created_at, Comment.id)
        ):
            replies[reply.parent_id].append(reply)
    pages = max(1, math.ceil(total / COMMENTS_PAGE_SIZE))
    return [Thread(parent, replies[parent.id]) for parent in parents], pages
