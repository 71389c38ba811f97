"""Drafts of the city's answer and their approval (決裁).

Staff save the answer as a draft (:class:`ProposalAnswerDraft`, never read by a public
page, the API, exports or the search index) and preview it. When the city turns on
``ANSWERS_NEED_APPROVAL`` the draft is submitted, and a second staff member or an admin
approves it (which publishes it) or returns it with a reason; otherwise its author
publishes it. Publishing deletes the draft with a conditional DELETE on its version,
so a double submit or two approvers at once publish it exactly once.

Every step goes in the audit log and, as a staff-only step, in the proposal's
timeline; the public timeline shows the publication alone (answers.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import is_staff
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle.answers import AnswerData, answer_proposal
from komoro_engage.proposals.lifecycle.history import record_step
from komoro_engage.proposals.lifecycle.models import (
    AnswerDraftState,
    ProposalAnswer,
    ProposalAnswerDraft,
)
from komoro_engage.proposals.models import Proposal


class DraftConflict(Exception):
    """The draft changed or is gone since the page was shown (published, edited, returned)."""


class DraftLocked(Exception):
    """A submitted draft waits for approval: it is not edited until it is returned."""


class NotYourApproval(Exception):
    """The draft's author or submitter may not approve it."""


def approval_required() -> bool:
    """The city's setting: answers need a second person's approval before they publish."""
    return bool(current_app.config.get("ANSWERS_NEED_APPROVAL"))


def draft_of(proposal: Proposal) -> ProposalAnswerDraft | None:
    return db.session.get(ProposalAnswerDraft, proposal.id)


def _snapshot(draft: ProposalAnswerDraft) -> dict:
    """States and ids only: the audit log holds no text (core/audit.py)."""
    return {"state": draft.state, "answer": draft.status, "version": draft.version}


def _step(staff: User, proposal: Proposal, action: str) -> None:
    record_step(proposal, action, staff, staff_only=True)


EDITABLE = (AnswerDraftState.DRAFT, AnswerDraftState.RETURNED)


def _move(proposal: Proposal, seen: int | None, states: tuple[str, ...], **values) -> bool:
    """Change the draft only if it is still version ``seen`` (any when None) in one of
    ``states``: a conditional UPDATE, so of two requests at once one wins (PostgreSQL
    re-checks the row after the first commits)."""
    query = update(ProposalAnswerDraft).where(ProposalAnswerDraft.proposal_id == proposal.id,
                                              ProposalAnswerDraft.state.in_(states))
    if seen is not None:
        query = query.where(ProposalAnswerDraft.version == seen)
    changed = db.session.execute(
        query.values(**values).execution_options(synchronize_session=False)).rowcount
    return changed == 1


def _reload(proposal: Proposal) -> ProposalAnswerDraft:
    draft = draft_of(proposal)
    db.session.refresh(draft)
    return draft


def save_draft(staff: User, proposal: Proposal, data: AnswerData) -> ProposalAnswerDraft:
    """Create or change the draft; a returned draft becomes a draft again. A submitted one
    is locked (:class:`DraftLocked`) until it is approved or returned."""
    now = clock.now()
    values = {"state": AnswerDraftState.DRAFT, "status": data.status, "body": data.body.strip(),
              "body_easy": (data.body_easy or "").strip() or None,
              "department": data.department.strip(), "answered_on": data.answered_on,
              "author_id": staff.id, "updated_at": now}
    if draft_of(proposal) is None:
        try:
            with db.session.begin_nested():  # two first saves at once: the key decides
                db.session.add(ProposalAnswerDraft(proposal_id=proposal.id, created_at=now,
                                                   version=1, return_reason="", **values))
        except IntegrityError:
            pass
        else:
            return _saved(staff, proposal)
    if not _move(proposal, None, EDITABLE, version=ProposalAnswerDraft.version + 1, **values):
        raise DraftLocked
    return _saved(staff, proposal)


def _saved(staff: User, proposal: Proposal) -> ProposalAnswerDraft:
    draft = _reload(proposal)
    record_audit(staff, "proposal.answer_draft_saved", proposal, after=_snapshot(draft))
    _step(staff, proposal, "answer_draft_saved")
    return draft


def _claim(proposal: Proposal, version: int, states: tuple[str, ...]) -> AnswerData:
    """Delete the draft if it is still ``version`` in ``states``; what it said. The
    conditional DELETE is the gate: of two requests at once only one deletes the row."""
    draft = _current(proposal, version)
    data = AnswerData(draft.status, draft.body, draft.department, draft.answered_on,
                      draft.body_easy)
    deleted = db.session.execute(
        delete(ProposalAnswerDraft)
        .where(ProposalAnswerDraft.proposal_id == proposal.id,
               ProposalAnswerDraft.version == version, ProposalAnswerDraft.state.in_(states))
        .execution_options(synchronize_session=False)).rowcount
    if deleted != 1:
        raise DraftConflict
    db.session.expunge(draft)
    return data


def _current(proposal: Proposal, version: int) -> ProposalAnswerDraft:
    draft = draft_of(proposal)
    if draft is None or draft.version != version:
        raise DraftConflict
    return draft


def publish_draft(staff: User, proposal: Proposal, version: int) -> ProposalAnswer:
    """Publish the draft as it was previewed (``version``), when no approval is needed."""
    if approval_required():
        raise NotYourApproval("answers need approval: submit the draft instead")
    return answer_proposal(staff, proposal, _claim(proposal, version, EDITABLE))


def submit_draft(staff: User, proposal: Proposal, version: int) -> ProposalAnswerDraft:
    """Send the draft for approval (決裁); it is locked until approved or returned."""
    before = _snapshot(_current(proposal, version))
    if not _move(proposal, version, EDITABLE, state=AnswerDraftState.SUBMITTED,
                 submitted_by_id=staff.id, submitted_at=clock.now()):
        raise DraftConflict
    draft = _reload(proposal)
    record_audit(staff, "proposal.answer_submitted", proposal, before=before,
                 after=_snapshot(draft))
    _step(staff, proposal, "answer_submitted")
    return draft


def can_approve_draft(user: User | None, draft: ProposalAnswerDraft | None) -> bool:
    """Another staff member or an admin approves: never the draft's author or submitter."""
    return bool(is_staff(user) and draft is not None and draft.is_submitted
                and user.id not in (draft.author_id, draft.submitted_by_id))


def _approver_check(staff: User, proposal: Proposal, version: int) -> ProposalAnswerDraft:
    draft = _current(proposal, version)
    if not draft.is_submitted:
        raise DraftConflict
    if not can_approve_draft(staff, draft):
        raise NotYourApproval
    return draft


def approve_draft(staff: User, proposal: Proposal, version: int) -> ProposalAnswer:
    """Approve the submitted draft, which publishes it."""
    draft = _approver_check(staff, proposal, version)
    before = _snapshot(draft)
    people = {"author_id": draft.author_id, "submitted_by_id": draft.submitted_by_id}
    data = _claim(proposal, version, (AnswerDraftState.SUBMITTED,))
    record_audit(staff, "proposal.answer_approved", proposal, before=before, after=people)
    _step(staff, proposal, "answer_approved")  # before the publication, in the timeline too
    return answer_proposal(staff, proposal, data)


def return_draft(staff: User, proposal: Proposal, version: int,
                 reason: str) -> ProposalAnswerDraft:
    """Send the submitted draft back to its author with a reason."""
    before = _snapshot(_approver_check(staff, proposal, version))
    # The version moves: the returned text is no longer what an approver saw.
    if not _move(proposal, version, (AnswerDraftState.SUBMITTED,),
                 state=AnswerDraftState.RETURNED, returned_by_id=staff.id,
                 returned_at=clock.now(), return_reason=reason.strip(),
                 version=ProposalAnswerDraft.version + 1):
        raise DraftConflict
    draft = _reload(proposal)
    record_audit(staff, "proposal.answer_returned", proposal, reason=draft.return_reason,
                 before=before, after=_snapshot(draft))
    _step(staff, proposal, "answer_returned")
    return draft


@dataclass
class DraftPreview:
    """What the preview renders with the public answer's macro (same attribute names)."""

    status: str
    body: str
    body_easy: str | None
    department: str
    answered_on: object

    @classmethod
    def of(cls, draft: ProposalAnswerDraft) -> DraftPreview:
        return cls(draft.status, draft.body, draft.body_easy, draft.department,
                   draft.answered_on)
