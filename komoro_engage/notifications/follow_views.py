"""Following an item, stopping, and the 「フォロー中」 page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from komoro_engage.accounts.queries import page_of
from komoro_engage.core.follows import FollowedItem, followable_items
from komoro_engage.core.htmx import is_htmx, render
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.redirects import is_safe_path
from komoro_engage.extensions import limiter
from komoro_engage.notifications import follows
from komoro_engage.notifications.follow_models import Follow, FollowTarget

KIND_LABELS = {
    FollowTarget.PROPOSAL: _l("提案"),
    FollowTarget.PROJECT: _l("協働プロジェクト"),
    FollowTarget.MEASURE: _l("施策"),
    FollowTarget.POLICY_AREA: _l("政策分野"),
    FollowTarget.DISTRICT: _l("地区"),
}
FOLLOW_LIMIT = "120 per hour"


def _kind(target_type: str) -> FollowTarget:
    try:
        return FollowTarget(target_type)
    except ValueError:
        abort(404)


def _item(kind: FollowTarget, target_id: int) -> FollowedItem | None:
    return followable_items(kind, [target_id]).get(target_id)


@login_required
@limiter.limit(FOLLOW_LIMIT, key_func=rate_limit_key)
def follow_item(target_type: str, target_id: int):
    """Follow a public item; 404 for one that does not exist or is not public."""
    kind = _kind(target_type)
    item = _item(kind, target_id)
    if item is None:
        abort(404)
    follows.follow(current_user, kind, target_id)
    return _answer(kind, target_id, True, item, _("フォローしました。"))


@login_required
@limiter.limit(FOLLOW_LIMIT, key_func=rate_limit_key)
def unfollow_item(target_type: str, target_id: int):
    """Stop following. An item no longer public may still be left (from 「フォロー中」)."""
    kind = _kind(target_type)
    item = _item(kind, target_id)
    if not follows.unfollow(current_user, kind, target_id) and item is None:
        abort(404)
    return _answer(kind, target_id, False, item, _("フォローを解除しました。"))


def _answer(kind: FollowTarget, target_id: int, following: bool, item: FollowedItem | None,
            message: str):
    """htmx: the button in its new state; else back where the person was (a local path)."""
    if is_htmx():
        return render_template("notifications/follow_button.html", target_type=str(kind),
                               target_id=target_id, following=following)
    flash(message, "success")
    back = request.form.get("next")
    if not is_safe_path(back):
        back = item.url if item is not None else url_for("notifications.following")
    return redirect(back)


@login_required
def following():
    """What the signed-in person follows, newest first, with a way to stop each."""
    page = page_of(select(Follow).where(Follow.user_id == current_user.id,
                                        Follow.stopped_at.is_(None))
                   .order_by(Follow.id.desc()), request.args.get("page"))
    items: dict[tuple[str, int], FollowedItem] = {}
    for kind in FollowTarget:
        ids = [follow.target_id for follow in page.items if follow.target_type == kind]
        items.update(((str(kind), i), item) for i, item in followable_items(kind, ids).items())
    return render("notifications/following.html", page=page, items=items,
                  kind_labels={str(k): v for k, v in KIND_LABELS.items()})
