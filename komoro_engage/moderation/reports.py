"""Reports (通報) on anything reportable: proposals, comments, and later features' items.

A feature registers each reportable kind once with :func:`register_reportable`:
its name (the reported row's table name, stored as ``Report.target_type``) and
what happens when enough distinct people reported an item (it is hidden until
staff decide). This module never imports the features.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.core.sql import insert_or_ignore as _insert
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report


class ActionNotAllowed(ValueError):
    """A staff action the item's current state does not allow (someone got there first)."""


# kind → hide(item): hides an item that reached the report threshold, pending staff review.
_hide_by_reports: dict[str, Callable[[Any], None]] = {}


def register_reportable(kind: str, hide: Callable[[Any], None]) -> None:
    """Let people report rows of table ``kind``; ``hide(item)`` runs at the threshold."""
    _hide_by_reports[kind] = hide


def reportable_kinds() -> frozenset[str]:
    """Every kind registered so far: the staff's report queue must know each one."""
    return frozenset(_hide_by_reports)


def can_report(user: User | None) -> bool:
    """Any active account may report; the report page and the links both ask this."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def report_item(reporter: User, target: db.Model, reason: str, detail: str = "") -> bool:
    """Record a report; hide the item once enough distinct people reported it.

    Returns False when this person had already reported this item.
    """
    target_type = target.__tablename__
    hide = _hide_by_reports[target_type]
    inserted = db.session.execute(
        _insert(Report).values(target_type=target_type, target_id=target.id,
                               reporter_id=reporter.id, reason=reason, detail=detail.strip(),
                               created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["target_type", "target_id", "reporter_id"])
        .returning(Report.id)
    ).first()
    if inserted is None:
        return False
    reporters = db.session.scalar(select(func.count()).select_from(Report).where(
        Report.target_type == target_type, Report.target_id == target.id,
        Report.resolved_at.is_(None)))
    if reporters >= current_app.config.get("REPORT_HIDE_THRESHOLD", 3):
        hide(target)
    return True
