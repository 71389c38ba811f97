"""What notifications put in every page: the bell's unread count, through the layout."""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.core.templating import register_layout_data
from komoro_engage.notifications.queries import BELL_CAP, bell_count


def register(bp: Blueprint) -> None:
    # None when signed out: no query, and no bell.
    register_layout_data("unread_notifications", bell_count)
    bp.add_app_template_global(BELL_CAP, "BELL_CAP")
