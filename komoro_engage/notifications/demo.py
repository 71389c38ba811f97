"""Demo notifications: the replies in the demo comments, as their parents' authors see them.

Derived from the demo's own comments (so deterministic from its seed) and
inserted in bulk; the newest third are unread. No mail is queued: demo
addresses are not real.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import aliased

from komoro_engage.accounts.models import User
from komoro_engage.comments.models import Comment
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.models import Notification
from komoro_engage.notifications.services import path_for
from komoro_engage.proposals.models import Proposal

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
