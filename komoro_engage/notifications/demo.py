"""Demo notifications: the replies in the demo comments, as their parents' authors see them,
and the follows that taking part in the demo would have made.

Derived from the demo's own comments (so deterministic from its seed) and
inserted in bulk; the newest third are unread. No mail is queued: demo
addresses are not real.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import aliased

from komoro_engage.accounts.models import Role, User, UserStatus
from komoro_engage.comments.models import Comment
from komoro_engage.core import clock
from komoro_engage.core.sql import insert_or_ignore
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.follow_models import Follow
from komoro_engage.notifications.models import Notification
from komoro_engage.notifications.services import path_for
from komoro_engage.plan.models import District, Measure, PolicyArea
from komoro_engage.projects.models import Project, ProjectMember, ProjectReview
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal

CHUNK = 1000


def load_demo_notifications() -> int:
    """Insert a reply notification for each demo reply not already notified; return how many."""
    parent, replier = aliased(Comment), aliased(User)
    already = select(Notification.target_id).where(Notification.kind == kinds.COMMENT_REPLY)
    replies = (
        select(Comment.id, Comment.proposal_id, Comment.created_at, parent.author_id,
               replier.nickname, Proposal.title)
        .join(parent, Comment.parent_id == parent.id)
        .join(replier, Comment.author_id == replier.id)
        .join(Proposal, Comment.proposal_id == Proposal.id)
        .where(parent.author_id != Comment.author_id, Comment.id.not_in(already))
        .order_by(Comment.id)
    )
    rows = [
        {"user_id": author_id, "kind": kinds.COMMENT_REPLY, "target_type": "comment",
         "target_id": comment_id, "params": {"title": title, "nickname": nickname},
         "link": path_for("proposals.detail", proposal_id=proposal_id) + f"#comment-{comment_id}",
         "created_at": created_at, "read_at": created_at}
        for comment_id, proposal_id, created_at, author_id, nickname, title
        in db.session.execute(replies)
    ]
    for row in rows[len(rows) * 2 // 3:]:
        row["read_at"] = None
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(Notification), rows[start:start + CHUNK])
    return len(rows)


def load_demo_follows() -> int:
    """Follows as taking part would have made them, plus a few chosen ones; return how many
    rows went in (loading again adds nothing: one row per person and item).

    Authors follow their public proposals, commenters what they commented on, members
    their projects (all automatic); the demo's first residents chose to follow the first
    measure, policy area and district, and one of them stopped following a proposal.
    """
    public = select(Proposal.id).where(Proposal.status.in_(PUBLIC_STATUSES))
    taking_part = [
        *[(user, "proposal", ident) for user, ident in db.session.execute(
            select(Proposal.author_id, Proposal.id).where(Proposal.id.in_(public),
                                                          Proposal.author_id.is_not(None)))],
        *[(user, "proposal", ident) for user, ident in db.session.execute(
            select(Comment.author_id, Comment.proposal_id).where(
                Comment.proposal_id.in_(public), Comment.author_id.is_not(None)).distinct())],
        *[(user, "project", ident) for user, ident in db.session.execute(
            select(ProjectMember.user_id, ProjectMember.project_id)
            .join(Project, Project.id == ProjectMember.project_id)
            .where(Project.review == ProjectReview.APPROVED))],
    ]
    rows = {(user, kind, ident): {"user_id": user, "target_type": kind, "target_id": ident,
                                  "automatic": True, "created_at": clock.now()}
            for user, kind, ident in taking_part}
    residents = list(db.session.scalars(select(User.id).where(
        User.role == Role.RESIDENT, User.status == UserStatus.ACTIVE)
        .order_by(User.id).limit(3)))
    chosen = [(kind, db.session.scalar(select(model.id).order_by(model.id).limit(1)))
              for kind, model in (("measure", Measure), ("policy_area", PolicyArea),
                                  ("district", District))]
    for user in residents:
        for kind, ident in chosen:
            if ident is not None:
                rows[user, kind, ident] = {"user_id": user, "target_type": kind,
                                           "target_id": ident, "automatic": False,
                                           "created_at": clock.now()}
    stopped = next((key for key in rows if key[1] == "proposal" and key[0] in residents), None)
    if stopped is not None:  # the way out, kept so that taking part does not follow again
        rows[stopped]["stopped_at"] = clock.now()
    values = list(rows.values())
    added = 0
    for start in range(0, len(values), CHUNK):
        chunk = values[start:start + CHUNK]
        for row in chunk:
            row.setdefault("stopped_at", None)
        added += len(db.session.execute(
            insert_or_ignore(Follow).values(chunk)
            .on_conflict_do_nothing(index_elements=["user_id", "target_type", "target_id"])
            .returning(Follow.id)).all())
    return added
