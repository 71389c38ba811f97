"""``/api/v1``: the plan and public proposals as JSON (GET only, no sign-in)."""

from __future__ import annotations

from flask import abort, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from komoro_engage.api.openapi import openapi_document
from komoro_engage.api.serializers import (
    plan_json,
    project_detail_json,
    project_json,
    proposal_json,
)
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.models import Measure, PriorityItem
from komoro_engage.projects import activity_queries as project_activity
from komoro_engage.projects import queries as project_queries
from komoro_engage.proposals import queries
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal, ProposalPhoto

# Everything a proposal's JSON shows, loaded in a fixed number of queries.
PROPOSAL_OPTIONS = (
    joinedload(Proposal.author), joinedload(Proposal.organisation),
    joinedload(Proposal.district), joinedload(Proposal.landmark),
    selectinload(Proposal.policy_areas),
    selectinload(Proposal.priority_items), selectinload(Proposal.measures),
    selectinload(Proposal.photo_links).joinedload(ProposalPhoto.photo),
)


def plan():
    """The current plan edition: areas with measures, priority items, districts with 区."""
    edition = plan_queries.current_edition()
    measures = list(db.session.scalars(select(Measure).where(Measure.edition_id == edition.id)
                                       .order_by(Measure.sort_key)))
    items = list(db.session.scalars(
        select(PriorityItem).where(PriorityItem.edition_id == edition.id)
        .options(selectinload(PriorityItem.measures)).order_by(PriorityItem.number)))
    return jsonify(plan_json(edition, plan_queries.policy_areas(), measures, items,
                             plan_queries.districts()))


def _page_json(endpoint: str, filters, page, item_json) -> dict:
    def link(number: int) -> str:
        return url_for(endpoint, _external=True, **filters.query_args(page=number))

    return {
        "items": [item_json(item) for item in page.items],
        "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages,
        "links": {"self": link(page.page), "first": link(1), "last": link(page.pages),
                  "next": link(page.page + 1) if page.has_next else None,
                  "prev": link(page.page - 1) if page.has_prev else None},
    }


def proposals():
    """Public proposals with the list page's filters, sorts and search, paginated."""
    filters = queries.ProposalFilters.from_args(request.args)
    page = queries.page_of(filters, *PROPOSAL_OPTIONS)
    return jsonify(_page_json("api.proposals", filters, page, proposal_json))


def projects():
    """協働 projects with the project list's filters, paginated."""
    filters = project_queries.ProjectFilters.from_args(request.args)
    # What the project page shows, without comments or members.
    page = project_queries.list_page(filters, *project_queries.DETAIL_OPTIONS)
    return jsonify(_page_json("api.projects", filters, page, project_json))


def project(project_id: int):
    """One public project with its activity days and progress reports (one waiting for
    staff review answers 404, like one that does not exist)."""
    found = project_queries.project_detail(project_id)
    if not found.is_public:
        abort(404)
    return jsonify(project_detail_json(found, project_activity.activity(found)))


def proposal(proposal_id: int):
    """One public proposal; drafts, pending, hidden and withdrawn ones are 404."""
    found = db.one_or_404(select(Proposal).where(
        Proposal.id == proposal_id, Proposal.status.in_(PUBLIC_STATUSES)
    ).options(*PROPOSAL_OPTIONS))
    return jsonify(proposal_json(found))


def openapi():
    return jsonify(openapi_document())
