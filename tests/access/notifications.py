"""Access entries of notifications: the bell's list, marking read, settings, unsubscribing.

``build`` gives resident_a one unread notification and an unsubscribe token;
other people's notifications are 404 (their existence is nobody else's business).
The unsubscribe link works signed out: the signed token is the key. Anyone signed in may
follow or stop following a public proposal (its own tests: tests/notifications/test_follows*).
"""

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.services import notify, unsubscribe_token
from tests.access import Access, World, everyone, expect, signed_in


def build(world: World) -> None:
    owner = db.session.get(User, world.users["resident_a"])
    notification = notify(owner, kinds.PROPOSAL_APPROVED, {"title": "アクセス表の提案"},
                          link="/proposals")
    world.extra.update(notification=notification.id,
                       unsubscribe=unsubscribe_token(owner.id, "replies"))


def own(world):
    return {"notification_id": world.extra["notification"]}


def followed(world):
    """The published proposal of tests/access/proposals.py."""
    return {"target_type": "proposal", "target_id": world.extra["published"]}


def token(world):
    return {"token": world.extra["unsubscribe"]}


# Columns: anonymous, resident_a (the owner), resident_b, org_manager, staff, admin.
ENTRIES = [
    Access("notifications.index", "GET", signed_in(200)),
    Access("notifications.follow", "GET", expect(302, 302, 404, 404, 404, 404), args=own),
    Access("notifications.mark_read", "POST", expect(302, 302, 404, 404, 404, 404), args=own),
    Access("notifications.mark_all_read", "POST", signed_in(302)),
    Access("notifications.preferences", "GET", signed_in(200)),
    Access("notifications.preferences", "POST", signed_in(302), data={"proposals": "y"}),
    Access("notifications.unsubscribe", "GET", everyone(200), args=token),
    Access("notifications.unsubscribe", "POST", everyone(200), args=token),
    Access("notifications.following", "GET", signed_in(200)),
    Access("notifications.follow_item", "POST", signed_in(302), args=followed),
    Access("notifications.unfollow_item", "POST", signed_in(302), args=followed),
]
