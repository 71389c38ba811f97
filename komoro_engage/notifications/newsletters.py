"""Newsletters (お知らせメール): drafts, the test send, sending in batches, the archive.

Only people who ticked 「市からのお知らせメール」 on their mail settings (no row is no),
whose account is active and whose address is confirmed ever get one. Sending happens in
two steps. :func:`start_sending` (one request, once per newsletter: a conditional
UPDATE from draft, and the check page's one-time key) writes a delivery row for every
recipient the audience names, in one INSERT … SELECT; :func:`queue_batch` then turns up
to ``BATCH_SIZE`` rows into outbox mails per transaction, claiming them first
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two runs never write the same mail and a
run that stops resumes where it left off. Consent is checked again for each batch:
someone who unsubscribes meanwhile gets nothing more. The request that sends writes the
first batch; ``flask komoro send-newsletters`` (and each run of ``send-mail``) the rest.

The audience itself (districts, followed policy areas, a project's members) is chosen
by the staff console (staff/newsletters.py), which may read projects; here it arrives
as a select of user ids. Functions flush but never commit (except the command's loop).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, insert, literal, select, update

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.core import clock, outbox
from komoro_engage.core.audit import record_audit
from komoro_engage.core.listing import Page, simple_page
from komoro_engage.extensions import db
from komoro_engage.notifications.kinds import CATEGORIES, NEWSLETTER
from komoro_engage.notifications.models import EmailPreference
from komoro_engage.notifications.newsletter_models import (
    Audience,
    Newsletter,
    NewsletterDelivery,
    NewsletterStatus,
)
from komoro_engage.notifications.services import absolute, path_for, unsubscribe_token

BATCH_SIZE = 500
PER_PAGE = 20
MAIL_KIND = "newsletter"
TEST_MAIL_KIND = "newsletter_test"


def consenting() -> Select:
    """Ids of everyone a newsletter may go to: consent given, account active, address confirmed."""
    return (select(User.id)
            .join(EmailPreference, and_(EmailPreference.user_id == User.id,
                                        EmailPreference.category == NEWSLETTER,
                                        EmailPreference.enabled.is_(True)))
            .where(User.status == UserStatus.ACTIVE, User.email.is_not(None),
                   User.email_verified_at.is_not(None)))


def save_draft(author: User, newsletter: Newsletter | None, subject: str, body: str,
               audience: Audience, audience_ids: list[int]) -> Newsletter:
    """Create a draft, or change one (only drafts change: a sent newsletter is a record)."""
    now = clock.now()
    if newsletter is None:
        newsletter = Newsletter(author_id=author.id, created_at=now)
        db.session.add(newsletter)
        action = "newsletter.created"
    else:
        if not newsletter.is_draft:
            raise ValueError("only a draft can be edited")
        action = "newsletter.edited"
    newsletter.subject = subject.strip()
    newsletter.body = body.strip().replace("\r\n", "\n")
    newsletter.audience = Audience(audience)
    newsletter.audience_ids = sorted(set(audience_ids)) if audience != Audience.ALL else []
    newsletter.updated_at = now
    db.session.flush()
    record_audit(author, action, newsletter,
                 after={"audience": str(newsletter.audience), "ids": newsletter.audience_ids})
    return newsletter


def _subject(newsletter: Newsletter, test: bool = False) -> str:
    subject = _("【こもろ協働ひろば】%(subject)s", subject=newsletter.subject)
    return _("［テスト送信］%(subject)s", subject=subject) if test else subject


def _body(newsletter: Newsletter, nickname: str, unsubscribe_url: str) -> str:
    lines = [_("%(nickname)s さん", nickname=nickname), "", newsletter.body, "",
             "-- ",
             _("小諸市からのお知らせメールです。こもろ協働ひろばのメールの設定で受け取ると選んだ方に"
               "お送りしています。"),
             _("これまでのお知らせ：%(url)s", url=absolute(path_for("notifications.newsletters"))),
             _("メールの設定：%(url)s", url=absolute(path_for("notifications.preferences"))),
             _("「%(category)s」を止める：%(url)s", category=CATEGORIES[NEWSLETTER].label,
               url=unsubscribe_url)]
    return "\n".join(lines) + "\n"


def _queue(newsletter: Newsletter, user_id: int, email: str, nickname: str,
           test: bool = False) -> outbox.OutboxMail:
    unsubscribe_url = absolute(path_for("notifications.unsubscribe",
                                        token=unsubscribe_token(user_id, NEWSLETTER)))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _subject(newsletter, test)
        body = _body(newsletter, nickname, unsubscribe_url)
    return outbox.queue_mail(email, subject, body, kind=TEST_MAIL_KIND if test else MAIL_KIND,
                             user_id=user_id, unsubscribe_url=unsubscribe_url)


def send_test(author: User, newsletter: Newsletter) -> bool:
    """One mail of the newsletter to its tester alone; False when their address is unconfirmed."""
    if not (author.email and author.email_verified_at):
        return False
    _queue(newsletter, author.id, author.email, author.nickname, test=True)
    record_audit(author, "newsletter.test_sent", newsletter)
    db.session.flush()
    return True


def count_recipients(audience: Select) -> int:
    """How many people the newsletter would reach: the audience, only those who consented."""
    return db.session.scalar(select(func.count()).select_from(
        consenting().where(User.id.in_(audience.scalar_subquery())).subquery()))


def sent_with_key(key: str) -> Newsletter | None:
    """The newsletter whose sending this one-time key started, if any."""
    return db.session.scalar(select(Newsletter).where(Newsletter.submission_key == key))


def start_sending(actor: User, newsletter: Newsletter, key: str, audience: Select) -> bool:
    """Choose the recipients (those of ``audience`` who consented) and write the first batch.

    False, and nothing done, when the newsletter is no longer a draft (a double tap, or
    another member of staff sent it first): the UPDATE from draft happens once.
    """
    now = clock.now()
    claimed = db.session.execute(
        update(Newsletter).where(Newsletter.id == newsletter.id,
                                 Newsletter.status == NewsletterStatus.DRAFT)
        .values(status=NewsletterStatus.SENDING, submission_key=key, sending_started_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.refresh(newsletter)
        return False
    recipients = consenting().where(User.id.in_(audience.scalar_subquery()))
    rows = select(literal(newsletter.id), recipients.subquery().c.id)
    db.session.execute(insert(NewsletterDelivery).from_select(["newsletter_id", "user_id"],
                                                                 rows))
    total = db.session.scalar(select(func.count()).select_from(NewsletterDelivery).where(
        NewsletterDelivery.newsletter_id == newsletter.id))
    db.session.execute(update(Newsletter).where(Newsletter.id == newsletter.id)
                       .values(recipient_count=total)
                       .execution_options(synchronize_session=False))
    db.session.refresh(newsletter)
    record_audit(actor, "newsletter.sent", newsletter,
                 after={"audience": str(newsletter.audience), "ids": newsletter.audience_ids,
                        "recipients": total})
    queue_batch(newsletter)
    return True


def queue_batch(newsletter: Newsletter, limit: int | None = None) -> int:
    """Write the outbox mails of up to ``limit`` waiting recipients; how many rows were done.

    When none wait any more the newsletter becomes sent (and public in the archive).
    """
    now = clock.now()
    limit = limit or BATCH_SIZE
    waiting = (select(NewsletterDelivery.id)
               .where(NewsletterDelivery.newsletter_id == newsletter.id,
                      NewsletterDelivery.queued_at.is_(None))
               .order_by(NewsletterDelivery.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        waiting = waiting.with_for_update(skip_locked=True)
    claimed = dict(db.session.execute(
        update(NewsletterDelivery).where(NewsletterDelivery.id.in_(waiting.scalar_subquery()))
        .values(queued_at=now)
        .returning(NewsletterDelivery.user_id, NewsletterDelivery.id)
        .execution_options(synchronize_session=False)).all())
    mailed = 0
    if claimed:
        # Consent again, now: whoever stopped newsletters (or their account) since is skipped.
        people = db.session.execute(
            select(User.id, User.email, User.nickname)
            .where(User.id.in_(consenting().where(User.id.in_(list(claimed)))
                               .scalar_subquery()))
            .order_by(User.id)).all()
        for user_id, email, nickname in people:
            _queue(newsletter, user_id, email, nickname)
        mailed = len(people)
        skipped = [claimed[user_id] for user_id in set(claimed) - {p.id for p in people}]
        if skipped:
            db.session.execute(update(NewsletterDelivery)
                               .where(NewsletterDelivery.id.in_(skipped)).values(skipped=True)
                               .execution_options(synchronize_session=False))
    values = {"mailed_count": Newsletter.mailed_count + mailed}
    still_waiting = db.session.scalar(select(NewsletterDelivery.id).where(
        NewsletterDelivery.newsletter_id == newsletter.id,
        NewsletterDelivery.queued_at.is_(None)).limit(1))
    if still_waiting is None and newsletter.status == NewsletterStatus.SENDING:
        values.update(status=NewsletterStatus.SENT, sent_at=now)
    db.session.execute(update(Newsletter).where(Newsletter.id == newsletter.id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.refresh(newsletter)
    return len(claimed)


def send_waiting(limit: int | None = None, commit=None) -> int:
    """Every newsletter being sent, batch after batch (``commit`` after each); mails written."""
    sending = db.session.scalars(select(Newsletter).where(
        Newsletter.status == NewsletterStatus.SENDING).order_by(Newsletter.id)).all()
    if not sending:  # the mail sender's loop asks every second: one query when idle
        return 0
    before = db.session.scalar(select(func.coalesce(func.sum(Newsletter.mailed_count), 0)))
    for newsletter in sending:
        while True:
            done = queue_batch(newsletter, limit)
            if commit is not None:
                commit()
            if not done or newsletter.status == NewsletterStatus.SENT:
                break
    after = db.session.scalar(select(func.coalesce(func.sum(Newsletter.mailed_count), 0)))
    return after - before


def sent_page(page: int) -> Page:
    """The public archive: sent newsletters, newest first."""
    return simple_page(select(Newsletter).where(Newsletter.status == NewsletterStatus.SENT)
                       .order_by(Newsletter.sent_at.desc(), Newsletter.id.desc()),
                       page, PER_PAGE)


def all_newsletters() -> list[Newsletter]:
    """Every newsletter for staff: drafts and those being sent first, then sent, newest first."""
    return list(db.session.scalars(select(Newsletter).order_by(
        (Newsletter.status == NewsletterStatus.SENT), Newsletter.updated_at.desc(),
        Newsletter.id.desc())))
