"""Template globals of notifications (the bell in base.html)."""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.notifications.queries import BELL_CAP, bell_count


def register(bp: Blueprint) -> None:
    bp.add_app_template_global(bell_count, "unread_notifications")
    bp.add_app_template_global(BELL_CAP, "BELL_CAP")
