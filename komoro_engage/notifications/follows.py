"""Following (フォロー): choosing to follow, stopping, following by taking part, and who follows.

Services flush and never commit (the request or the event's transaction does).
A row is unique per person and item: following again revives it, stopping keeps
it with ``stopped_at`` so that taking part again never signs the person up again.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.core import clock
from komoro_engage.core.sql import insert_or_ignore
from komoro_engage.extensions import db
from komoro_engage.notifications.follow_models import Follow, FollowTarget


def _row(user_id: int, target_type: str, target_id: int) -> Follow | None:
    return db.session.scalar(select(Follow).where(
        Follow.user_id == user_id, Follow.target_type == target_type,
        Follow.target_id == target_id))


def follow(user: User, target_type: str, target_id: int) -> Follow:
    """``user`` chooses to follow the item (again, if they had stopped)."""
    target_type = FollowTarget(target_type)
    follow_automatically(user.id, target_type, target_id, automatic=False)
    row = _row(user.id, target_type, target_id)
    row.stopped_at = None
    row.automatic = False
    db.session.flush()
    return row


def unfollow(user: User, target_type: str, target_id: int) -> bool:
    """``user`` stops following; the row stays (stopped) so taking part does not revive it.
    False when they did not follow it."""
    row = _row(user.id, FollowTarget(target_type), target_id)
    if row is None or row.stopped_at is not None:
        return False
    row.stopped_at = clock.now()
    db.session.flush()
    return True


def follow_automatically(user_id: int, target_type: str, target_id: int,
                         automatic: bool = True) -> bool:
    """Follow because they took part: one INSERT that does nothing when a row exists
    (followed, or stopped: never revived), safe against a concurrent insert of the
    same row (the unique constraint). True when the row went in."""
    inserted = db.session.execute(
        insert_or_ignore(Follow).values(
            user_id=user_id, target_type=str(FollowTarget(target_type)), target_id=target_id,
            automatic=automatic, created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["user_id", "target_type", "target_id"])
        .returning(Follow.id)
    ).first()
    return inserted is not None


def is_following(user_id: int, target_type: str, target_id: int) -> bool:
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user_id, Follow.target_type == target_type,
        Follow.target_id == target_id, Follow.stopped_at.is_(None))) is not None


def followed_keys(user_id: int) -> set[tuple[str, int]]:
    """(type, id) of everything ``user_id`` follows now: one query (a page's buttons)."""
    return {(str(kind), ident) for kind, ident in db.session.execute(
        select(Follow.target_type, Follow.target_id).where(
            Follow.user_id == user_id, Follow.stopped_at.is_(None)))}


def followers(target_type: str, target_id: int,
              leave_out: Collection[int] = ()) -> list[User]:
    """Active accounts following the item now, but for the ids in ``leave_out``."""
    query = (select(User).join(Follow, Follow.user_id == User.id)
             .where(Follow.target_type == target_type, Follow.target_id == target_id,
                    Follow.stopped_at.is_(None), User.status == UserStatus.ACTIVE)
             .order_by(User.id))
    if leave_out:
        query = query.where(User.id.not_in(list(leave_out)))
    return list(db.session.scalars(query))
