"""The daily mail of follow notifications (``flask komoro send-digests`` sends it too).

Someone who chose 「1日1回のまとめ」 gets no mail per follow notification
(services.notify leaves it out); once a day the command gathers what they were
told since their last digest, or since they chose it, into one mail. The bell
shows every notification at once either way.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.core import clock, outbox
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.models import EmailPreference, Notification
from komoro_engage.notifications.services import (
    absolute,
    can_receive_mail,
    path_for,
    unsubscribe_token,
    wants_email,
)

# A second run the same day sends nothing (a day is 24 h less a margin for a late cron).
MIN_GAP = timedelta(hours=20)


def send_follow_digests(now: datetime | None = None) -> int:
    """Queue each digest due; return how many mails were queued."""
    now = now or clock.now()
    chosen = db.session.execute(
        select(User, EmailPreference.updated_at)
        .join(EmailPreference, EmailPreference.user_id == User.id)
        .where(EmailPreference.category == kinds.FOLLOWING_DIGEST,
               EmailPreference.enabled.is_(True), User.status == UserStatus.ACTIVE)
        .order_by(User.id)).all()
    sent = 0
    for user, chosen_at in chosen:
        if not can_receive_mail(user) or not wants_email(user, kinds.FOLLOWING):
            continue
        last = db.session.scalar(select(func.max(OutboxMail.created_at)).where(
            OutboxMail.user_id == user.id, OutboxMail.kind == kinds.FOLLOWING_DIGEST))
        if last is not None and now - _aware(last) < MIN_GAP:
            continue
        since = max(_aware(chosen_at), _aware(last)) if last is not None else _aware(chosen_at)
        told = list(db.session.scalars(select(Notification).where(
            Notification.user_id == user.id, Notification.kind.in_(kinds.FOLLOW_KINDS),
            Notification.created_at > since, Notification.created_at <= now)
            .order_by(Notification.id)))
        if told:
            _queue_digest(user, told)
            sent += 1
    db.session.flush()
    return sent


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive UTC datetimes back."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _queue_digest(user: User, told: list[Notification]) -> OutboxMail:
    unsubscribe_url = absolute(path_for("notifications.unsubscribe",
                                        token=unsubscribe_token(user.id, kinds.FOLLOWING)))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("【こもろ協働ひろば】%(subject)s",
                    subject=_("フォローしている項目の更新（%(count)s件）", count=len(told)))
        lines = [_("%(nickname)s さん", nickname=user.nickname), "",
                 _("フォローしている項目の、前回のまとめからの更新です。"), ""]
        for notification in told:
            lines.append("・" + kinds.message(notification.kind, notification.params))
            if notification.link:
                lines.append("  " + absolute(notification.link))
        lines += [
            "", "-- ",
            _("こもろ協働ひろば（小諸市の市民協働プラットフォーム）からのお知らせです。"),
            _("フォロー中の項目：%(url)s", url=absolute(path_for("notifications.following"))),
            _("メールの設定：%(url)s", url=absolute(path_for("notifications.preferences"))),
            _("「%(category)s」のメールを止める：%(url)s",
              category=kinds.CATEGORIES[kinds.FOLLOWING].label, url=unsubscribe_url),
        ]
    return outbox.queue_mail(user.email, subject, "\n".join(lines) + "\n",
                             kind=kinds.FOLLOWING_DIGEST, user_id=user.id,
                             unsubscribe_url=unsubscribe_url)
