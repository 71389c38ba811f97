"""The policy areas, priority items and measures a proposal is linked to, as plain rows
(see ``komoro_engage.plan.menus``)."""

from __future__ import annotations

from komoro_engage.plan.menus import Choice, PlanLinks, links_of
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink as MeasureLink
from komoro_engage.proposals.models import Proposal, proposal_policy_area, proposal_priority_item

# Measures: the links staff have not taken back.
PLAN_LINKS = PlanLinks(
    "proposal",
    (proposal_policy_area.c.proposal_id, proposal_policy_area.c.policy_area_id),
    (proposal_priority_item.c.proposal_id, proposal_priority_item.c.priority_item_id),
    (MeasureLink.proposal_id, MeasureLink.measure_id), (MeasureLink.unlinked_at.is_(None),))


def links(proposal: Proposal) -> dict[str, list[Choice]]:
    """The policy areas, priority items and measures a proposal is linked to: as the
    proposal page's statement read them (proposals/reader.py), else one query."""
    return links_of(PLAN_LINKS, proposal.id)
