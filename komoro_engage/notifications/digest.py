"""The staff's daily digest of what waits for them (``flask komoro send-digests``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from komoro_engage.accounts.models import Role, User, UserStatus
from komoro_engage.core import clock
from komoro_engage.core.clock import JAPAN
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.notifications import kinds
from komoro_engage.notifications.services import notify, path_for
from komoro_engage.proposals.models import Proposal, ProposalStatus


@dataclass
class DigestReport:
    counts: dict[str, int]
    notified: int = 0
    already_sent: int = 0

    def summary(self) -> str:
        waiting = ", ".join(f"{name} {count}" for name, count in self.counts.items())
        if not any(self.counts.values()):
            return f"nothing waits ({waiting}): no digest sent"
        return f"{waiting}: {self.notified} staff notified, {self.already_sent} had today's"


def waiting_counts() -> dict[str, int]:
    """The staff's queues: pending proposals, reported items not yet decided, answers due."""
    by_status = dict(db.session.execute(
        select(Proposal.status, func.count()).where(
            Proposal.status.in_((ProposalStatus.PENDING, ProposalStatus.UNDER_REVIEW)))
        .group_by(Proposal.status)).all())
    reported_items = select(Report.target_type, Report.target_id).where(
        Report.resolved_at.is_(None)).distinct().subquery()
    return {
        "pending": by_status.get(ProposalStatus.PENDING, 0),
        "reports": db.session.scalar(select(func.count()).select_from(reported_items)),
        # 検討中: the city owes these proposals its official answer.
        "answers": by_status.get(ProposalStatus.UNDER_REVIEW, 0),
    }


def send_digests(today: date | None = None) -> DigestReport:
    """Tell each active staff member and admin what waits; once per day, none when all is 0."""
    today = today or clock.now().astimezone(JAPAN).date()
    report = DigestReport(counts=waiting_counts())
    if not any(report.counts.values()):
        return report
    staff = db.session.scalars(select(User).where(
        User.role.in_((Role.STAFF, Role.ADMIN)), User.status == UserStatus.ACTIVE)
        .order_by(User.id))
    for member in staff:
        made = notify(member, kinds.STAFF_DIGEST, report.counts,
                      link=path_for("staff.console"),
                      dedupe_key=f"staff-digest:{today.isoformat()}")
        if made is None:
            report.already_sent += 1
        else:
            report.notified += 1
    return report
