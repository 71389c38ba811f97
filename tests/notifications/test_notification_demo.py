"""The demo's notifications follow from its comments: each reply tells the parent's author."""

from sqlalchemy import select

from komoro_engage.comments.models import Comment
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.demo import load_demo_notifications
from komoro_engage.notifications.models import Notification
from komoro_engage.proposals.demo import load_demo


def test_demo_replies_become_notifications_once(ctx):
    load_demo(60, seed=1)
    made = load_demo_notifications()
    assert made > 0
    assert load_demo_notifications() == 0  # loading again adds nothing
    notifications = db.session.scalars(select(Notification).where(
        Notification.kind == kinds.COMMENT_REPLY)).all()
    assert len(notifications) >= made
    for notification in notifications[-made:]:
        reply = db.session.get(Comment, notification.target_id)
        parent = db.session.get(Comment, reply.parent_id)
        assert notification.user_id == parent.author_id != reply.author_id
        assert notification.link.endswith(f"#comment-{reply.id}")
    assert any(n.read_at is None for n in notifications)
