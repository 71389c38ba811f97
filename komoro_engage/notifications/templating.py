"""What notifications put in every page: the bell's unread count, through the layout, and
whether the signed-in person follows an item (the follow buttons)."""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from komoro_engage.core.templating import register_layout_data
from komoro_engage.notifications.follows import followed_keys
from komoro_engage.notifications.queries import BELL_CAP, bell_count


def follow_state(target_type: str, target_id: int) -> bool | None:
    """Whether the signed-in person follows the item (None when signed out: no button, no
    query). The first button of a page reads everything they follow (one query), the
    others reuse it."""
    if not current_user.is_authenticated:
        return None
    if "followed" not in g:
        g.followed = followed_keys(current_user.id)
    return (str(target_type), int(target_id)) in g.followed


def register(bp: Blueprint) -> None:
    # None when signed out: no query, and no bell.
    register_layout_data("unread_notifications", bell_count)
    bp.add_app_template_global(BELL_CAP, "BELL_CAP")
    bp.add_app_template_global(follow_state, "follow_state")
