"""The support threshold and the city's official answer (市の回答).

Reaching ``SUPPORT_THRESHOLD`` supports moves a published proposal to 検討中 and
opens its answer with a deadline ``ANSWER_DEADLINE_DAYS`` away. Staff then
publish the answer: 検討中 (an interim answer), 採用 or 見送り, with the
department and the date. Every change is audited with before → after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from komoro_engage.accounts.models import User
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.proposals import search_sync
from komoro_engage.proposals.lifecycle.history import record_status_change, record_step
from komoro_engage.proposals.lifecycle.models import AnswerStatus, ProposalAnswer
from komoro_engage.proposals.lifecycle.states import ANSWERABLE, apply_transition
from komoro_engage.proposals.models import Proposal, ProposalStatus

# Which transition an answer of each status needs from 検討中.
DECISIONS = {AnswerStatus.ADOPTED: "adopt", AnswerStatus.NOT_ADOPTED: "decline"}


class AnswerNotAllowed(ValueError):
    """The answer would move the proposal somewhere its status cannot go (e.g. 採用 → 見送り)."""


def answer_deadline(start: datetime) -> datetime:
    """When the city's answer is due for a review started at ``start``."""
    return start + timedelta(days=int(current_app.config["ANSWER_DEADLINE_DAYS"]))


def _open_answer(proposal: Proposal, now: datetime) -> ProposalAnswer:
    answer = db.session.get(ProposalAnswer, proposal.id)
    if answer is None:
        answer = ProposalAnswer(proposal_id=proposal.id, status=AnswerStatus.UNDER_REVIEW,
                                review_started_at=now, deadline_at=answer_deadline(now),
                                updated_at=now)
        db.session.add(answer)
        db.session.flush()
    return answer


def start_review_at_threshold(proposal: Proposal) -> bool:
    """Called right after a support is counted: move to 検討中 once, at the threshold.

    The conditional UPDATE decides: of two supports crossing the threshold at the
    same moment, only the one whose UPDATE still finds 賛同募集中 moves it.
    """
    threshold = int(current_app.config["SUPPORT_THRESHOLD"])
    if proposal.support_count < threshold or proposal.status != ProposalStatus.PUBLISHED:
        return False
    now = clock.now()
    moved = db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id,
                               Proposal.status == ProposalStatus.PUBLISHED,
                               Proposal.support_count >= threshold)
        .values(status=ProposalStatus.UNDER_REVIEW, updated_at=now)
        .returning(Proposal.id).execution_options(synchronize_session=False)
    ).first()
    if moved is None:
        return False
    set_committed_value(proposal, "status", ProposalStatus.UNDER_REVIEW)
    answer = _open_answer(proposal, now)
    record_audit(None, "proposal.review_started", proposal,
                 f"support threshold {threshold}",
                 before={"status": "published", "support_count": proposal.support_count},
                 after={"status": "under_review",
                        "deadline_at": clock.as_utc(answer.deadline_at).isoformat()})
    record_status_change(proposal, "start_review", ProposalStatus.PUBLISHED, None,
                         cause="threshold")
    return True


@dataclass
class AnswerData:
    status: str
    body: str
    department: str
    answered_on: date
    body_easy: str | None = None  # やさしい日本語 version, for readers who chose it


def _snapshot(answer: ProposalAnswer | None, status: str) -> dict:
    if answer is None or answer.answered_at is None:
        return {"status": str(status), "answer": None}
    easy = {"body_easy": answer.body_easy} if answer.body_easy else {}  # only once written
    return {"status": str(status), "answer": answer.status, "body": answer.body, **easy,
            "department": answer.department,
            "answered_on": answer.answered_on.isoformat() if answer.answered_on else None}


def _move(staff: User, proposal: Proposal, action: str) -> None:
    before = proposal.status
    apply_transition(proposal, action)
    record_status_change(proposal, action, before, staff)


def answer_proposal(staff: User, proposal: Proposal, data: AnswerData) -> ProposalAnswer:
    """Publish or revise the official answer; the proposal's status follows it.

    Staff screens publish through a draft (lifecycle/drafts.py); this is the step
    that makes it public, used by it, the demo and the tests."""
    wanted = AnswerStatus(data.status)
    if proposal.status not in ANSWERABLE or (
            proposal.status in (ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED)
            and proposal.status != wanted):
        raise AnswerNotAllowed(f"{proposal.status} cannot be answered as {wanted}")
    now = clock.now()
    existing = db.session.get(ProposalAnswer, proposal.id)
    before = _snapshot(existing, proposal.status)
    if proposal.status == ProposalStatus.PUBLISHED:
        _move(staff, proposal, "start_review")
    answer = _open_answer(proposal, now)
    if wanted in DECISIONS and proposal.status == ProposalStatus.UNDER_REVIEW:
        _move(staff, proposal, DECISIONS[wanted])
    answer.status = wanted
    answer.body = data.body.strip()
    answer.body_easy = (data.body_easy or "").strip() or None
    answer.department = data.department.strip()
    answer.answered_on = data.answered_on
    answer.answered_by_id = staff.id
    answer.answered_at = now
    answer.updated_at = now
    proposal.updated_at = now
    db.session.flush()
    record_audit(staff, "proposal.answered", proposal, "", before=before,
                 after=_snapshot(answer, proposal.status))
    record_step(proposal, "answer_published", staff)  # the public timeline shows it
    search_sync.sync(proposal)
    events.proposal_answered.send(proposal, actor=staff, answer=answer)
    return answer


def answer_choices_for(proposal: Proposal) -> list[str]:
    """Statuses the answer form offers: a decided proposal keeps its decision."""
    if proposal.status in (ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED):
        return [str(proposal.status)]
    return [status.value for status in AnswerStatus]
