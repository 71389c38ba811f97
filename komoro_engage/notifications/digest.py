"""The staff's daily digest of what waits for them (``flask komoro send-digests``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from komoro_engage.accounts.models import Role, User, UserStatus
from komoro_engage.core import clock, waiting
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.services import notify, path_for


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
    """The staff's queues (pending proposals, open reports, answers due …), as the
    features that own them count them (core/waiting.py)."""
    return waiting.waiting_counts()


def send_digests(today: date | None = None) -> DigestReport:
    """Tell each active staff member and admin what waits; once per day, none when all is 0."""
    today = today or clock.japan_today()
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
