"""Reading the audit log: filters shared by the browse page and the CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from komoro_engage.accounts.models import Role, User
from komoro_engage.core.clock import JAPAN
from komoro_engage.extensions import db
from komoro_engage.moderation.models import AuditEntry

SYSTEM = "system"  # the actor filter value for automatic entries (no actor)


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@dataclass
class AuditFilters:
    """The log's query string, read leniently: malformed values are ignored."""

    action: str = ""
    actor: str = ""  # a user id, or SYSTEM
    target_type: str = ""
    since: date | None = None  # Japan dates, both inclusive
    until: date | None = None

    @classmethod
    def from_args(cls, args: MultiDict) -> AuditFilters:
        actor = (args.get("actor") or "").strip()
        return cls(action=(args.get("action") or "").strip()[:60],
                   actor=actor if actor == SYSTEM or actor.isdigit() else "",
                   target_type=(args.get("target_type") or "").strip()[:40],
                   since=_date(args.get("since")), until=_date(args.get("until")))

    def query_args(self) -> dict:
        values = {"action": self.action, "actor": self.actor, "target_type": self.target_type,
                  "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else ""}
        return {key: value for key, value in values.items() if value}

    def query(self) -> Select:
        """Matching entries, newest first, with their actors."""
        query = select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(
            AuditEntry.id.desc())
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.actor == SYSTEM:
            query = query.where(AuditEntry.actor_id.is_(None))
        elif self.actor:
            query = query.where(AuditEntry.actor_id == int(self.actor))
        if self.target_type:
            query = query.where(AuditEntry.target_type == self.target_type)
        if self.since:
            query = query.where(AuditEntry.created_at >= _start_of(self.since))
        if self.until:
            query = query.where(AuditEntry.created_at < _start_of(self.until + timedelta(days=1)))
        return query


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=JAPAN)


def filter_choices() -> dict:
    """Actions and target types that occur, and the staff who can act (3 statements)."""
    actions = db.session.scalars(select(AuditEntry.action).group_by(AuditEntry.action)
                                 .order_by(func.min(AuditEntry.action))).all()
    target_types = db.session.scalars(
        select(AuditEntry.target_type).group_by(AuditEntry.target_type)
        .order_by(func.min(AuditEntry.target_type))).all()
    actors = db.session.scalars(select(User).where(User.role.in_((Role.STAFF, Role.ADMIN)))
                                .order_by(User.nickname_key)).all()
    return {"actions": actions, "target_types": [t for t in target_types if t],
            "actors": actors}
