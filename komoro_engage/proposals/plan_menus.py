"""The policy areas, priority items and measures a proposal is linked to, as plain rows
(see ``komoro_engage.plan.menus``)."""

from __future__ import annotations

from sqlalchemy import bindparam

from komoro_engage.plan.menus import Choice, links_by, links_statement
from komoro_engage.plan.models import Measure, PolicyArea, PriorityItem
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink as MeasureLink
from komoro_engage.proposals.models import Proposal, proposal_policy_area, proposal_priority_item

_SUBJECT = bindparam("subject_id")
# Built once (see plan.menus.links_statement). Measures: the links staff have not taken back.
_LINKS = links_statement(
    (proposal_policy_area.c.proposal_id == _SUBJECT,
     proposal_policy_area.c.policy_area_id == PolicyArea.id),
    (proposal_priority_item.c.proposal_id == _SUBJECT,
     proposal_priority_item.c.priority_item_id == PriorityItem.id),
    (MeasureLink.proposal_id == _SUBJECT, MeasureLink.measure_id == Measure.id,
     MeasureLink.unlinked_at.is_(None)))


def links(proposal: Proposal) -> dict[str, list[Choice]]:
    """The policy areas, priority items and measures a proposal is linked to (one query)."""
    return links_by(_LINKS, proposal.id)
