"""The audit-log screens: browse it (staff) and export it as CSV (admins), same filters.

The CSV (core/csv_export.py) is UTF-8 with a BOM so that Excel (what the city uses
for reports) opens the Japanese text correctly; rows stream in batches so a long log
never sits in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort, request
from flask_login import current_user, login_required
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from komoro_engage.accounts.models import Role, User
from komoro_engage.accounts.permissions import can_view_audit_log
from komoro_engage.accounts.queries import page_of
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.core.clock import JAPAN, start_of_japan_day
from komoro_engage.core.csv_export import csv_response
from komoro_engage.core.htmx import render
from komoro_engage.core.numbers import positive_int
from komoro_engage.extensions import db
from komoro_engage.staff import permissions
from komoro_engage.staff.views import acting_user

SYSTEM = "system"  # the actor filter value for automatic entries (no actor)


def _date(raw: str | None) -> date | None:
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    # Python's first and last days cannot move to UTC or a day forward: ignored like garbage.
    return day if day and date.min < day < date.max else None


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
                   actor=actor if actor == SYSTEM or positive_int(actor) else "",
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
            query = query.where(AuditEntry.created_at >= start_of_japan_day(self.since))
        if self.until:
            query = query.where(
                AuditEntry.created_at < start_of_japan_day(self.until + timedelta(days=1)))
        return query


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


HEADER = ("id", "created_at", "actor_id", "actor", "action", "target_type", "target_id",
          "reason", "before", "after")


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_rows(filters: AuditFilters) -> Iterator[list]:
    """The header, then every matching entry, read 500 at a time while the file streams."""
    yield list(HEADER)
    for entry in db.session.scalars(filters.query().execution_options(yield_per=500)):
        created = clock.as_utc(entry.created_at).astimezone(JAPAN).isoformat(timespec="seconds")
        yield [entry.id, created, entry.actor_id, entry.actor.nickname if entry.actor else "",
               entry.action, entry.target_type, entry.target_id, entry.reason,
               _json(entry.before), _json(entry.after)]


@login_required
def audit_log():
    """The append-only audit log, newest first, filtered by actor, action, target and dates."""
    if not can_view_audit_log(current_user):
        abort(403)
    filters = AuditFilters.from_args(request.args)
    page = page_of(filters.query(), request.args.get("page"))
    return render("staff/audit_log.html", page=page, filters=filters, **filter_choices())


@login_required
def audit_export():
    """Admins download the filtered audit log."""
    if not permissions.can_export_audit(acting_user()):
        abort(403)
    filters = AuditFilters.from_args(request.args)
    stamp = clock.now().astimezone(JAPAN).strftime("%Y%m%d-%H%M")
    return csv_response(audit_rows(filters), f"audit-log-{stamp}.csv")
