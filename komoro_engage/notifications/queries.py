"""Read side of notifications: the bell's count and the list."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import bindparam, func, select

from komoro_engage.accounts.queries import Page, page_of
from komoro_engage.core.request_facts import fact
from komoro_engage.extensions import db
from komoro_engage.notifications.models import Notification

# The bell shows "99+" beyond this: counting stops there, so the query stays cheap.
BELL_CAP = 99
UNREAD_FACT = "notifications_unread"


def unread_column(user_id):
    """The unread count of ``user_id`` (a column or bound parameter), up to BELL_CAP + 1
    on the index, as a scalar subquery."""
    return select(func.count()).select_from(
        select(Notification.id).where(Notification.user_id == user_id,
                                      Notification.read_at.is_(None))
        .limit(BELL_CAP + 1).subquery()).scalar_subquery()


# Built once: building the statement (with its cache key) cost twice what running it
# does. Run on the session's connection, past the ORM layer: a count needs no objects.
_UNREAD = select(unread_column(bindparam("user_id")))


def unread_count(user_id: int) -> int:
    """Unread notifications of ``user_id``, counted up to BELL_CAP + 1 on the index."""
    return db.session.connection().execute(_UNREAD, {"user_id": user_id}).scalar_one()


def bell_count() -> int | None:
    """The signed-in person's unread count, None when signed out. A read asks it with the
    person (core/request_facts.py); a POST asks once, when its page needs it."""
    if not current_user.is_authenticated:
        return None
    return fact(UNREAD_FACT, lambda: unread_count(current_user.id))


def notifications_page(user_id: int, page_arg: str | None) -> Page:
    """Newest first, one page at a time."""
    return page_of(select(Notification).where(Notification.user_id == user_id)
                   .order_by(Notification.id.desc()), page_arg)
