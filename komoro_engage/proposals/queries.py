"""Reading proposals: the filtered, sorted, paginated list and the detail page.

Each function runs a fixed number of SQL statements whatever the data size;
``tests/proposals/test_query_counts.py`` holds them to that.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, and_, bindparam, exists, func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from komoro_engage.core.listing import (  # noqa: F401
    MAX_PAGE_SIZE,
    Page,
    link_conditions,
    simple_page,
)
from komoro_engage.core.numbers import page_number
from komoro_engage.core.numbers import positive_int as _positive_int
from komoro_engage.core.sql import bound_to, written_number
from komoro_engage.extensions import db
from komoro_engage.proposals import search_sync
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import (
    PUBLIC_STATUSES,
    Proposal,
    ProposalKind,
    ProposalPhoto,
    proposal_policy_area,
    proposal_priority_item,
)
from komoro_engage.search.words import search_values

SORTS = {
    "new": (Proposal.published_at.desc(), Proposal.id.desc()),
    "supported": (Proposal.support_count.desc(), Proposal.id.desc()),
    "discussed": (Proposal.comment_count.desc(), Proposal.id.desc()),
    "active": (Proposal.last_activity_at.desc(), Proposal.id.desc()),
}
DEFAULT_SORT = "new"


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
    view: str | None = None  # "map": the map view of the same selection

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
            page=page_number(args.get("page")),
            per_page=min(per_page, MAX_PAGE_SIZE),
            view="map" if args.get("view") == "map" else None,
        )

    def query_args(self, **changes) -> dict:
        """The non-default values as URL arguments, for links to other pages or sorts."""
        values = {"area": self.area, "item": self.item, "measure": self.measure,
                  "district": self.district, "status": self.status, "kind": self.kind,
                  "q": self.q or None, "sort": None if self.sort == DEFAULT_SORT else self.sort,
                  "page": self.page if self.page > 1 else None, "view": self.view}
        if self.per_page != current_app.config["PAGE_SIZE"]:
            values["per_page"] = self.per_page
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}


def public_condition():
    """``status IN ('published', …)`` with the statuses written into the SQL.

    As literals (not bound parameters) the planner of SQLite and of PostgreSQL can
    see that the partial ``ix_proposal_public_*`` indexes cover the query.
    """
    return Proposal.status.in_(bindparam("public_statuses", [str(s) for s in PUBLIC_STATUSES],
                                         expanding=True, literal_execute=True))


# The list's filters on the proposal's own columns and its links, by the name each
# takes as a bound parameter (the search adds its grams and words, ``search_values``).
FILTERED = ("status", "kind", "district", "area", "item", "measure")


def filter_values(filters: ProposalFilters) -> dict:
    """The selection's values by parameter name: the filters given, and the search's
    grams and words (none when the query holds nothing searchable). Their names are the
    selection's shape (:func:`shaped_conditions`)."""
    values = {name: getattr(filters, name) for name in FILTERED
              if getattr(filters, name) is not None}
    if filters.q:
        values.update(search_values(filters.q))
    return values


# The links a list filters by: (the filter's name, the link table, the linked column).
_LINK_FILTERS = (("area", proposal_policy_area, "policy_area_id"),
                 ("item", proposal_priority_item, "priority_item_id"))


def shaped_conditions(names, walk: bool = False, bind=bindparam, joined: tuple = ()) -> list:
    """WHERE clauses for the public proposals of a selection whose parameters are
    ``names`` (of :func:`filter_values`), made by ``bind``: without values (a list's
    statement kept per shape, run with each request's values) or with them
    (:func:`conditions`).

    Plain conditions on ``proposal`` and ``EXISTS`` probes of the link tables' primary
    keys (no ``id IN (SELECT …)``, which makes the database collect every linked id
    first), so the database walks the public index of the chosen sort and stops after
    one page. ``walk``: the search too as ``EXISTS`` probes, for a page of a search
    that many proposals match (see ``search.services.shaped_holding_every_gram``).
    ``joined``: the filters (a link's name, or "search") a count joins instead
    (:func:`shaped_count`).
    """
    names = tuple(names)
    given = {name: bind(name) for name in FILTERED if name in names}
    where = [public_condition()]
    where += [column == given[name] for name, column in (
        ("status", Proposal.status), ("kind", Proposal.kind),
        ("district", Proposal.district_id)) if name in given]
    where += link_conditions(Proposal.id, (
        (given.get(name) if name not in joined else None, table, column)
        for name, table, column in _LINK_FILTERS))
    if "measure" in given:
        # Only links staff have not undone.
        where.append(exists().where(ProposalMeasureLink.proposal_id == Proposal.id,
                                    ProposalMeasureLink.measure_id == given["measure"],
                                    ProposalMeasureLink.unlinked_at.is_(None)))
    # A query with nothing searchable in it (only punctuation) has no names: no filter.
    matching = search_sync.shaped_condition(names, walk, bind) if "search" not in joined else None
    if matching is not None:
        where.append(matching)
    return where


def shaped_count(names, bind=bindparam) -> Select:
    """The ids of the selection ``names`` to count up to a cap (the caller's LIMIT), with
    what finds fewest rows joined instead of probed: the search's candidates where its
    grams are enough (``search_sync.shaped_candidates``), else the area's or the priority
    item's links. The database walks them and stops at the cap, where walking the public
    proposals, a probe each, goes on until the cap's matches (100,000 proposals on SQLite,
    the count alone: one area of six 1.85 → 0.59 ms; 公園 1.05 → 0.38 ms; issue 16). A joined
    row is one proposal: the candidates are distinct ids, a link one row per proposal and
    area."""
    names = tuple(names)
    counted = select(Proposal.id)
    candidates = search_sync.shaped_candidates(names, bind)
    if candidates is not None:
        return counted.join(candidates, candidates.c.item_id == Proposal.id).where(
            *shaped_conditions(names, bind=bind, joined=("search",)))
    for name, table, column in _LINK_FILTERS:
        if name in names:
            return counted.join(table, and_(table.c.proposal_id == Proposal.id,
                                            table.c[column] == bind(name))).where(
                *shaped_conditions(names, bind=bind, joined=(name,)))
    return counted.where(*shaped_conditions(names, bind=bind))


def conditions(filters: ProposalFilters, walk: bool = False) -> list:
    """WHERE clauses for the public proposals matching ``filters``, with their values
    (:func:`shaped_conditions`)."""
    values = filter_values(filters)
    return shaped_conditions(values, walk, bound_to(values))


def _counted(where: list, filters: ProposalFilters, count_cap: int | None):
    """The matching proposals to count (up to the cap, or a page past the current one)
    and the most that count can say exactly (None: no cap)."""
    counted = select(Proposal.id).where(*where)
    if count_cap is None:
        return counted, None
    limit = max(count_cap, filters.page * filters.per_page)
    return counted.limit(written_number(limit + 1)), limit


def capped_total(total: int, limit: int | None) -> tuple[int, bool]:
    """A total counted up to ``limit + 1`` as shown (at most ``limit``) and whether it is
    exact."""
    return (total, True) if limit is None else (min(total, limit), total <= limit)


def _total(where: list, filters: ProposalFilters, count_cap: int | None) -> tuple[int, bool]:
    """How many proposals match (up to the cap, or a page past the current one)."""
    counted, limit = _counted(where, filters, count_cap)
    return capped_total(
        db.session.scalar(select(func.count()).select_from(counted.subquery())), limit)


def page_of(filters: ProposalFilters, *options, count_cap: int | None = None) -> Page:
    """One page of public proposals and the total: 2 queries plus any selectin ``options``.

    With ``count_cap`` the total is counted only up to the cap (or a page past the
    current one, whichever is more), so the count stays cheap however many
    proposals match; ``Page.total_exact`` says whether it was reached.
    """
    where = conditions(filters)
    total, exact = _total(where, filters, count_cap)
    query = (
        select(Proposal).where(*where).options(*options)
        .order_by(*SORTS[filters.sort]).limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return Page(list(db.session.scalars(query).unique()), total, filters.page, filters.per_page,
                exact)


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


@functools.cache
def proposal_page_statement():
    """Built once, at first use (its loader options need every mapper configured): its
    joins cost more to build than to run (issue 16). The photos are joined in too: a
    proposal has a handful at most, and their selectin load, a statement of its own, was a
    tenth of the page's time (py-spy)."""
    return select(Proposal).where(Proposal.id == bindparam("proposal_id")).options(
        joinedload(Proposal.author), joinedload(Proposal.organisation),
        joinedload(Proposal.district), joinedload(Proposal.ku), joinedload(Proposal.landmark),
        joinedload(Proposal.photo_links).joinedload(ProposalPhoto.photo),
    )

