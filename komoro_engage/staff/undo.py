"""元に戻す: taking back a console action for a short while, where that is safe.

Only hiding is taken back, and only for proposals and comments that were visible
before (a hide that confirmed what reports had hidden is not): hiding tells no one
(no notification, no mail), and restoring puts the item exactly where it was; the
reports the hide closed are opened again. Approving publishes and notifies the author
(mail included), sending back tells the author why, a statement or project leaves
pre-moderation for good: none of those can be taken back without someone having seen
it, so they offer no undo (staff hide or send back again, with a reason).

The offer is a token signed with the app's secret: who acted, on what, when (the app's
clock) and the last audit entry on those items. :func:`undo` refuses it after
:data:`UNDO_SECONDS`, for another staff member, or when anything happened to an item
since (a newer audit entry). Runs in the caller's transaction; audited per item.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, or_, select, update

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry, record_audit
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.staff.actions import (
    MODERATE,
    Outcome,
    item_title,
    load_items,
    parse_target,
)

UNDO_SECONDS = 300
UNDOABLE = {"hide": ("proposal", "comment")}
REASON = "元に戻す（非表示の取り消し）"


class UndoRefused(Exception):
    """The offer has expired, is someone else's, or an item changed since."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why  # "expired", "changed", "invalid"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="staff-undo")


def _targets_filter(keys: list[tuple[str, int]]):
    return or_(*[(AuditEntry.target_type == kind) & (AuditEntry.target_id == ident)
                 for kind, ident in keys])


def offer(staff: User, action: str, outcome: Outcome, keys: list[str]) -> str | None:
    """A signed undo token for ``keys`` (done by ``action``), or None when not undoable."""
    kinds = UNDOABLE.get(action, ())
    keys = [key for key in keys
            if key.partition(":")[0] in kinds and key in outcome.visible_before]
    if not keys:
        return None
    last = db.session.scalar(select(func.max(AuditEntry.id))
                             .where(_targets_filter([parse_target(k) for k in keys])))
    return _serializer().dumps({"s": staff.id, "a": action, "k": keys,
                                "t": outcome.at.isoformat(), "e": last or 0})


def read(token: str) -> dict | None:
    """The offer in ``token`` while it is valid for undo, else None."""
    try:
        data = _serializer().loads(token or "")
    except BadSignature:
        return None
    at = datetime.fromisoformat(data["t"])
    if clock.now() - at > timedelta(seconds=UNDO_SECONDS):
        return None
    return data


def undo(staff: User, token: str) -> Outcome:
    """Take back the action in ``token``: every item or none (raises :class:`UndoRefused`)."""
    try:
        data = _serializer().loads(token or "")
    except BadSignature as error:
        raise UndoRefused("invalid") from error
    if data["s"] != staff.id or data["a"] not in UNDOABLE:
        raise UndoRefused("invalid")
    at = datetime.fromisoformat(data["t"])
    if clock.now() - at > timedelta(seconds=UNDO_SECONDS):
        raise UndoRefused("expired")
    keys = [parse_target(key) for key in data["k"]]
    if None in keys:
        raise UndoRefused("invalid")
    newer = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.id > data["e"], _targets_filter(keys)))
    if newer:
        raise UndoRefused("changed")
    items = load_items(keys)
    outcome = Outcome(at=clock.now())
    for kind, ident in keys:
        key = f"{kind}:{ident}"
        item = items.get(key)
        if item is None:
            raise UndoRefused("changed")
        MODERATE[kind](staff, "restore", item, REASON)
        # Closed by the action itself: nothing on the item was audited since.
        reopened = len(db.session.execute(
            update(Report).where(Report.target_type == kind, Report.target_id == ident,
                                 Report.resolved_at >= at)
            .values(resolved_at=None).returning(Report.id)
            .execution_options(synchronize_session=False)).all())
        record_audit(staff, "console.undone", item, REASON, before={"action": data["a"]},
                     after={"reopened_reports": reopened})
        outcome.done.append(key)
        outcome.titles[key] = item_title(item)
    db.session.flush()
    return outcome
