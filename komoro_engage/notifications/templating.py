"""What notifications put in every page: the bell's unread count, through the layout, and
whether the signed-in person follows an item (the follow buttons)."""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from komoro_engage.core.request_facts import item_fact_key, known, register_fact, register_item_fact
from komoro_engage.core.templating import register_layout_data
from komoro_engage.core.urls import id_url
from komoro_engage.notifications.follows import FOLLOWS_FACT, followed_keys, following_column
from komoro_engage.notifications.queries import BELL_CAP, UNREAD_FACT, bell_count, unread_column


def follow_state(target_type: str, target_id: int) -> bool | None:
    """Whether the signed-in person follows the item (None when signed out: no button, no
    query). A page whose item's statement asked it (``register_item_fact`` below: the
    proposal and project pages) has it kept; else the first button of a page reads
    everything they follow (one query), the others reuse it."""
    if not current_user.is_authenticated:
        return None
    key = (str(target_type), int(target_id))
    return bool(known(item_fact_key(FOLLOWS_FACT, *key, current_user.id),
                      lambda: key in _everything_followed()))


def _everything_followed() -> set[tuple[str, int]]:
    if "followed" not in g:
        g.followed = followed_keys(current_user.id)
    return g.followed


def follow_url(following: bool, target_type: str, target_id: int) -> str:
    """The button's action: stop following when ``following``, else follow. A page of
    ten districts builds each URL once (core/urls.id_url), not once per button."""
    endpoint = "notifications.unfollow_item" if following else "notifications.follow_item"
    urls = g.setdefault("follow_urls", {})
    build = urls.get((endpoint, target_type))
    if build is None:
        build = urls[endpoint, target_type] = id_url(endpoint, "target_id",
                                                     target_type=target_type)
    return build(target_id)


def follow_page() -> dict[str, str]:
    """What every follow button of the page shares, once per request: its labels, the page
    to come back to without JavaScript (after an htmx POST: the one it was sent from), the
    CSRF token."""
    shared = g.get("follow_page")
    if shared is None:
        back = request.full_path if request.method == "GET" else request.form.get("next", "")
        shared = g.follow_page = {
            "start": _("フォローする"), "stop": _("フォロー中（解除する）"),
            "next": back.removesuffix("?"), "csrf": generate_csrf()}
    return shared


def register(bp: Blueprint) -> None:
    # None when signed out: no query, and no bell.
    register_layout_data("unread_notifications", bell_count)
    register_fact(UNREAD_FACT, unread_column)  # asked with the person on a read
    register_item_fact(FOLLOWS_FACT, following_column)  # asked with an item's page, on a read
    bp.add_app_template_global(BELL_CAP, "BELL_CAP")
    bp.add_app_template_global(follow_state, "follow_state")
    bp.add_app_template_global(follow_url, "follow_url")
    bp.add_app_template_global(follow_page, "follow_page")
