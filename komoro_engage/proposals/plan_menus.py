"""The policy areas, priority items and measures a proposal is linked to, as plain rows
(see ``komoro_engage.plan.menus``)."""

from __future__ import annotations

from komoro_engage.plan.menus import Choice, links_of
from komoro_engage.plan.models import Measure, PolicyArea, PriorityItem
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink as MeasureLink
from komoro_engage.proposals.models import Proposal, proposal_policy_area, proposal_priority_item


def links(proposal: Proposal) -> dict[str, list[Choice]]:
    """The policy areas, priority items and measures a proposal is linked to (one query).

    Measures: the links staff have not taken back.
    """
    areas = (proposal_policy_area.c.proposal_id == proposal.id,
             proposal_policy_area.c.policy_area_id == PolicyArea.id)
    items = (proposal_priority_item.c.proposal_id == proposal.id,
             proposal_priority_item.c.priority_item_id == PriorityItem.id)
    measures = (MeasureLink.proposal_id == proposal.id, MeasureLink.measure_id == Measure.id,
                MeasureLink.unlinked_at.is_(None))
    return links_of(areas, items, measures)
