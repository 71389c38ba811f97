"""A person's notifications, mails and email choices in their data download and on deletion.

Their own rows go with the account: notifications, email choices, follows, and every mail
to them, found by recipient and by address (a mail to a new address waiting for
confirmation has no recipient account). Other people's notifications and mails
may quote them (a reply's nickname, a proposal's title): those copies are
rewritten by :func:`scrub_copies`.
"""

from __future__ import annotations

import json

from sqlalchemy import Text, cast, delete, or_, select, update

from komoro_engage.accounts.erasure import (
    SHORTEST_COPY,
    register_copy_scrubber,
    register_export_section,
    register_post_handler,
    scrub_text,
    scrub_value,
)
from komoro_engage.accounts.models import User
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications.follow_models import Follow
from komoro_engage.notifications.models import EmailPreference, Notification
from komoro_engage.notifications.newsletter_models import Newsletter, NewsletterDelivery

BATCH = 500
# After the features' handlers, which may still notify the person while they erase
# (withdrawing a proposal tells its author).
AFTER_FEATURES = 80


def erase_notifications(user: User, _remove_posts: bool) -> list[str]:
    """Everything here is about the person alone: it goes with the account."""
    for model in (Notification, EmailPreference, NewsletterDelivery, Follow):
        db.session.execute(delete(model).where(model.user_id == user.id)
                           .execution_options(synchronize_session=False))
    addresses = [address for address in (user.email, user.pending_email) if address]
    db.session.execute(delete(OutboxMail).where(or_(
        OutboxMail.user_id == user.id, OutboxMail.to_address.in_(addresses)))
        .execution_options(synchronize_session=False))
    return []


def _may_quote(replacements: dict[str, str]):
    """A cheap database filter for parameters that may hold one of the strings: the JSON
    text contains it, escaped (how json.dumps writes non-ASCII) or as it is."""
    stored = cast(Notification.params, Text)
    forms = {form for text in replacements for form in (text, json.dumps(text)[1:-1])}
    return or_(*(stored.contains(form, autoescape=True) for form in forms))


def scrub_copies(user: User, replacements: dict[str, str]) -> None:
    """Rewrite what other people's notifications and mails quote of ``user``.

    Nothing older than the account can quote it. Notification parameters are JSON:
    the database finds the rows that may quote, and a value is replaced only where it
    is a whole field. Mails are plain text and rewritten wherever they quote.
    """
    since = user.created_at
    rows = db.session.execute(select(Notification.id, Notification.params).where(
        Notification.created_at >= since, _may_quote(replacements))
        .execution_options(yield_per=BATCH))
    changed = [(notification_id, scrubbed) for notification_id, params in rows
               if (scrubbed := scrub_value(params, replacements)) != params]
    for notification_id, params in changed:  # after the read: no cursor open while writing
        db.session.execute(update(Notification).where(Notification.id == notification_id)
                           .values(params=params).execution_options(synchronize_session=False))
    quoted = [text for text in replacements if len(text) >= SHORTEST_COPY]
    if quoted:
        quoting = or_(*(column.contains(text, autoescape=True) for text in quoted
                        for column in (OutboxMail.subject, OutboxMail.body)))
        for mail in db.session.scalars(select(OutboxMail).where(
                OutboxMail.created_at >= since, quoting)):
            mail.subject = scrub_text(mail.subject, replacements)
            mail.body = scrub_text(mail.body, replacements)
    db.session.flush()


def export_notifications(user: User) -> dict:
    notifications = db.session.scalars(select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id))
    choices = db.session.scalars(select(EmailPreference).where(
        EmailPreference.user_id == user.id).order_by(EmailPreference.category))
    followed = db.session.scalars(select(Follow).where(
        Follow.user_id == user.id).order_by(Follow.id))
    mails = db.session.scalars(select(OutboxMail).where(
        OutboxMail.user_id == user.id).order_by(OutboxMail.id))
    newsletters = db.session.execute(
        select(Newsletter.id, Newsletter.subject, NewsletterDelivery.queued_at,
               NewsletterDelivery.skipped)
        .join(Newsletter, Newsletter.id == NewsletterDelivery.newsletter_id)
        .where(NewsletterDelivery.user_id == user.id).order_by(NewsletterDelivery.id))
    return {
        "notifications": [{"kind": n.kind, "params": n.params, "link": n.link,
                           "created_at": n.created_at.isoformat(),
                           "read_at": n.read_at.isoformat() if n.read_at else None}
                          for n in notifications],
        "email_choices": {p.category: p.enabled for p in choices},
        "follows": [{"target_type": str(f.target_type), "target_id": f.target_id,
                     "automatic": f.automatic, "created_at": f.created_at.isoformat(),
                     "stopped_at": f.stopped_at.isoformat() if f.stopped_at else None}
                    for f in followed],
        "mails": [{"subject": m.subject, "created_at": m.created_at.isoformat(),
                   "sent_at": m.sent_at.isoformat() if m.sent_at else None} for m in mails],
        # The city's newsletters chosen for them (a skipped one was not mailed: they had
        # stopped newsletters by the time its batch came).
        "newsletters": [{"newsletter_id": n.id, "subject": n.subject,
                         "queued_at": n.queued_at.isoformat() if n.queued_at else None,
                         "mailed": not n.skipped} for n in newsletters],
    }


def register() -> None:
    register_post_handler(erase_notifications, order=AFTER_FEATURES)
    register_copy_scrubber(scrub_copies)
    register_export_section("notifications", export_notifications)
