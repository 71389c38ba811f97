"""Writing notifications: the bell row, the outbox mail, reading and email choices.

Functions flush but never commit: they run inside the transaction of the event
that caused them (or of the request), so a notification and its mail are
committed, or rolled back, together with the change they report.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.accounts.permissions import is_staff
from komoro_engage.core import clock, outbox
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.models import EmailPreference, Notification

UNSUBSCRIBE_SALT = "komoro.unsubscribe"


def path_for(endpoint: str, **values) -> str:
    """The path of ``endpoint``, in a request or not (CLI commands build mail links too)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(path: str) -> str:
    """A link for a mail: the configured public base address plus ``path``."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def notify(user: User, kind: str, params: dict, link: str = "", target: object | None = None,
           dedupe_key: str | None = None) -> Notification | None:
    """Tell ``user`` about something: a row under their bell, and a mail if they want it.

    With a ``dedupe_key`` it happens once per person and key (None the next time);
    the unique constraint backs that against two runs at once.
    """
    if dedupe_key is not None and db.session.scalar(select(Notification.id).where(
            Notification.user_id == user.id, Notification.dedupe_key == dedupe_key)):
        return None
    notification = Notification(
        user_id=user.id, kind=kind, params=params, link=link, dedupe_key=dedupe_key,
        target_type=getattr(target, "__tablename__", None), target_id=getattr(target, "id", None),
        created_at=clock.now(),
    )
    db.session.add(notification)
    category = kinds.category_of(kind)
    if can_receive_mail(user) and wants_email(user, category.name) and not _gathered(user, kind):
        queue_mail(user, notification, category.name)
    db.session.flush()
    return notification


def _gathered(user: User, kind: str) -> bool:
    """A follow notification of someone who chose the daily digest: its mail waits for
    ``flask komoro send-follow-digests`` (notifications/follow_digest.py)."""
    return kind in kinds.FOLLOW_KINDS and wants_email(user, kinds.FOLLOWING_DIGEST)


def can_receive_mail(user: User) -> bool:
    return bool(user.email and user.email_verified_at and user.status == UserStatus.ACTIVE)


def email_choices(user: User) -> dict[str, bool]:
    """Every category's setting for ``user``: their saved choice, else the default."""
    saved = dict(db.session.execute(
        select(EmailPreference.category, EmailPreference.enabled)
        .where(EmailPreference.user_id == user.id)).all())
    return {name: saved.get(name, category.default)
            for name, category in kinds.CATEGORIES.items()
            if is_staff(user) or not category.staff_only}


def wants_email(user: User, category: str) -> bool:
    enabled = db.session.scalar(select(EmailPreference.enabled).where(
        EmailPreference.user_id == user.id, EmailPreference.category == category))
    return kinds.CATEGORIES[category].default if enabled is None else enabled


def set_email_choice(user_id: int, category: str, enabled: bool) -> None:
    """Save one category's setting (the row is unique per person and category)."""
    preference = db.session.scalar(select(EmailPreference).where(
        EmailPreference.user_id == user_id, EmailPreference.category == category))
    if preference is None:
        preference = EmailPreference(user_id=user_id, category=category)
        db.session.add(preference)
    preference.enabled = enabled
    preference.updated_at = clock.now()
    db.session.flush()


def queue_mail(user: User, notification: Notification, category: str) -> outbox.OutboxMail:
    """Write the mail for ``notification`` to the outbox, in the site's default language.

    Mail is written when the event happens, often in someone else's request, so
    it uses the platform's language rather than whoever caused it.
    """
    unsubscribe_url = absolute(path_for("notifications.unsubscribe",
                                        token=unsubscribe_token(user.id, category)))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("【こもろ協働ひろば】%(subject)s",
                    subject=kinds.subject(notification.kind, notification.params))
        body = _mail_body(user, notification, category, unsubscribe_url)
    return outbox.queue_mail(user.email, subject, body, kind=notification.kind, user_id=user.id,
                             unsubscribe_url=unsubscribe_url)


def _mail_body(user: User, notification: Notification, category: str,
               unsubscribe_url: str) -> str:
    lines = [_("%(nickname)s さん", nickname=user.nickname), "",
             kinds.message(notification.kind, notification.params)]
    if notification.link:
        lines += ["", absolute(notification.link)]
    lines += [
        "", "-- ",
        _("こもろ協働ひろば（小諸市の市民協働プラットフォーム）からのお知らせです。"),
        _("メールの設定：%(url)s", url=absolute(path_for("notifications.preferences"))),
        _("「%(category)s」のメールを止める：%(url)s",
          category=kinds.CATEGORIES[category].label, url=unsubscribe_url),
    ]
    return "\n".join(lines) + "\n"


def unsubscribe_token(user_id: int, category: str) -> str:
    """A signed, non-expiring token that switches off one category of mail for one person.

    It does not expire: an unsubscribe link in an old mail must still work.
    """
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps(
        [user_id, category])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, category) of a genuine token; None for a forged or mangled one."""
    try:
        user_id, category = URLSafeSerializer(
            current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or category not in kinds.CATEGORIES:
        return None
    return user_id, category


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = clock.now()
        db.session.flush()


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False))
