"""Following (フォロー): choosing to follow, stopping, following by taking part, and who follows.

Services flush and never commit (the request or the event's transaction does).
A row is unique per person and item: following again revives it, stopping keeps
it with ``stopped_at`` so that taking part again never signs the person up again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Insert, and_, bindparam, exists, or_, select

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


# Built once per dialect: a support or a comment runs it, and building the statement
# cost more than running it. Run on the session's connection: no objects needed.
_INSERTS: dict[str, Insert] = {}


def _insert_statement() -> Insert:
    dialect = db.session.get_bind().dialect.name
    statement = _INSERTS.get(dialect)
    if statement is None:
        statement = _INSERTS[dialect] = (
            insert_or_ignore(Follow).values(
                user_id=bindparam("user_id"), target_type=bindparam("target_type"),
                target_id=bindparam("target_id"), automatic=bindparam("automatic"),
                created_at=bindparam("created_at"))
            .on_conflict_do_nothing(index_elements=["user_id", "target_type", "target_id"]))
    return statement


def follow_automatically(user_id: int, target_type: str, target_id: int,
                         automatic: bool = True) -> None:
    """Follow because they took part: one INSERT that does nothing when a row exists
    (followed, or stopped: never revived), safe against a concurrent insert of the
    same row (the unique constraint decides, nobody gets an error)."""
    db.session.connection().execute(_insert_statement(), {
        "user_id": user_id, "target_type": str(FollowTarget(target_type)),
        "target_id": target_id, "automatic": automatic, "created_at": clock.now()})


def is_following(user_id: int, target_type: str, target_id: int) -> bool:
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user_id, Follow.target_type == target_type,
        Follow.target_id == target_id, Follow.stopped_at.is_(None))) is not None


_FOLLOWED = select(Follow.target_type, Follow.target_id).where(
    Follow.user_id == bindparam("user_id"), Follow.stopped_at.is_(None))


FOLLOWS_FACT = "follows"


def following_column(kind: str, item_id, reader):
    """Whether ``reader`` follows the ``kind`` item ``item_id`` now, as a column of the
    item's own statement (core/request_facts item facts): a probe of the unique key."""
    return exists().where(Follow.user_id == reader, Follow.target_type == kind,
                          Follow.target_id == item_id, Follow.stopped_at.is_(None))


def followed_keys(user_id: int) -> set[tuple[str, int]]:
    """(type, id) of everything ``user_id`` follows now: one query (a page's buttons),
    built once and run past the ORM like the bell's count."""
    return {(kind, ident) for kind, ident in
            db.session.connection().execute(_FOLLOWED, {"user_id": user_id})}


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


def followers_of(targets: Sequence[tuple[str, int]],
                 leave_out: Collection[int] = ()) -> list[tuple[User, tuple[str, int]]]:
    """Each active account following any of ``targets``, once, with the first of the
    targets (in the order given) it follows: an item before its district or area."""
    if not targets:
        return []
    query = (select(User, Follow.target_type, Follow.target_id)
             .join(Follow, Follow.user_id == User.id)
             .where(or_(*(and_(Follow.target_type == kind, Follow.target_id == ident)
                          for kind, ident in targets)),
                    Follow.stopped_at.is_(None), User.status == UserStatus.ACTIVE)
             .order_by(User.id))
    if leave_out:
        query = query.where(User.id.not_in(list(leave_out)))
    rank = {(str(kind), ident): place for place, (kind, ident) in enumerate(targets)}
    found: dict[int, tuple[User, tuple[str, int]]] = {}
    for user, kind, ident in db.session.execute(query):
        target = (str(kind), ident)
        if user.id not in found or rank[target] < rank[found[user.id][1]]:
            found[user.id] = (user, target)
    return list(found.values())
