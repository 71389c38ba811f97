"""Linking proposals to measures (施策): who, when, which fiscal year and why.

Unlinking marks the link as undone (by whom, when, why) and keeps it, so the
history of what the city tied each proposal to stays readable.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import Proposal


class AlreadyLinked(ValueError):
    """The proposal already has an active link to that measure."""


def _describe(link: ProposalMeasureLink, measure: Measure) -> dict:
    return {"measure": measure.code, "fiscal_year": link.fiscal_year, "note": link.note}


def link_measure(staff: User, proposal: Proposal, measure: Measure, fiscal_year: int,
                 note: str) -> ProposalMeasureLink:
    """Link ``proposal`` to ``measure``; raises :class:`AlreadyLinked` for a duplicate."""
    link = ProposalMeasureLink(proposal_id=proposal.id, measure_id=measure.id,
                               fiscal_year=fiscal_year, note=note.strip(),
                               linked_by_id=staff.id, linked_at=clock.now())
    try:
        # The partial unique index decides, also between two staff at the same moment.
        with db.session.begin_nested():
            db.session.add(link)
            db.session.flush()
    except IntegrityError as error:
        raise AlreadyLinked(measure.code) from error
    record_audit(staff, "proposal.measure_linked", proposal, link.note,
                 before=None, after=_describe(link, measure))
    return link


def unlink_measure(staff: User, link: ProposalMeasureLink, reason: str) -> None:
    """Undo an active link, keeping it in the history."""
    if not link.is_active:
        return
    link.unlinked_at = clock.now()
    link.unlinked_by_id = staff.id
    link.unlink_reason = reason.strip()
    db.session.flush()
    record_audit(staff, "proposal.measure_unlinked", link.proposal, link.unlink_reason,
                 before={**_describe(link, link.measure), "active": True},
                 after={"active": False})
