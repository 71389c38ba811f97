"""A person's notifications, mails and email choices in their data download and on deletion."""

from __future__ import annotations

from sqlalchemy import delete, select

from komoro_engage.accounts.erasure import register_export_section, register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.notifications.models import EmailPreference, Notification, OutboxMail


def erase_notifications(user: User, _remove_posts: bool) -> None:
    """Everything here is about the person alone: it goes with the account."""
    for model in (Notification, OutboxMail, EmailPreference):
        db.session.execute(delete(model).where(model.user_id == user.id)
                           .execution_options(synchronize_session=False))


def export_notifications(user: User) -> dict:
    notifications = db.session.scalars(select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id))
    choices = db.session.scalars(select(EmailPreference).where(
        EmailPreference.user_id == user.id).order_by(EmailPreference.category))
    mails = db.session.scalars(select(OutboxMail).where(
        OutboxMail.user_id == user.id).order_by(OutboxMail.id))
    return {
        "notifications": [{"kind": n.kind, "params": n.params, "link": n.link,
                           "created_at": n.created_at.isoformat(),
                           "read_at": n.read_at.isoformat() if n.read_at else None}
                          for n in notifications],
        "email_choices": {p.category: p.enabled for p in choices},
        "mails": [{"subject": m.subject, "created_at": m.created_at.isoformat(),
                   "sent_at": m.sent_at.isoformat() if m.sent_at else None} for m in mails],
    }


def register() -> None:
    register_post_handler(erase_notifications)
    register_export_section("notifications", export_notifications)
