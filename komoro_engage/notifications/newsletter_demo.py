"""Demo newsletters (``flask komoro demo``): about a quarter of the demo residents chose
「市からのお知らせメール」, the city sent them one newsletter, and a second one waits as
a draft. Deliveries are recorded as queued but no mail is written: demo addresses are
not real. Deterministic (every fourth active resident) and loaded once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.accounts.permissions import STAFF_ROLES
from komoro_engage.extensions import db
from komoro_engage.notifications.kinds import NEWSLETTER
from komoro_engage.notifications.models import EmailPreference
from komoro_engage.notifications.newsletter_models import (
    Audience,
    Newsletter,
    NewsletterDelivery,
    NewsletterStatus,
)

SENT_SUBJECT = "「こもろ協働ひろば」で提案を募集しています"
SENT_BODY = """市民のみなさま

小諸市の市民協働プラットフォーム「こもろ協働ひろば」では、まちをよくするための提案を募集しています。
地域の困りごとや、こんなことをしてみたいというアイデアを、気軽にお寄せください。

提案の一覧：https://engage.city.komoro.example.jp/proposals
協働プロジェクトの参加者も募集中です：https://engage.city.komoro.example.jp/projects

小諸市 企画課 市民協働係"""
DRAFT_SUBJECT = "市民予算の投票が始まります"
DRAFT_BODY = "来月から、市民予算の投票が始まります。詳しくは後日お知らせします。"


def load_newsletter_demo(now: datetime) -> dict:
    """A sent newsletter to the consenting demo residents and a draft; what was created."""
    author_id = db.session.scalar(select(User.id).where(User.role.in_(STAFF_ROLES))
                                  .order_by(User.id).limit(1))
    if author_id is None or db.session.scalar(select(Newsletter.id).limit(1)) is not None:
        return {}
    consenting = [user_id for index, user_id in enumerate(db.session.scalars(
        # Demo accounts have made-up, unconfirmed addresses: the choice is what is shown.
        select(User.id).where(User.status == UserStatus.ACTIVE, User.email.is_not(None),
                              User.role.not_in(STAFF_ROLES))
        .where(User.id.not_in(select(EmailPreference.user_id).where(
            EmailPreference.category == NEWSLETTER)))
        .order_by(User.id))) if index % 4 == 0]
    if consenting:
        db.session.execute(insert(EmailPreference), [
            {"user_id": user_id, "category": NEWSLETTER, "enabled": True,
             "updated_at": now - timedelta(days=30)} for user_id in consenting])
    sent_at = now - timedelta(days=7)
    sent = Newsletter(subject=SENT_SUBJECT, body=SENT_BODY, author_id=author_id,
                      audience=Audience.ALL, audience_ids=[], status=NewsletterStatus.SENT,
                      recipient_count=len(consenting), mailed_count=len(consenting),
                      submission_key="demo-newsletter-sent", created_at=sent_at,
                      updated_at=sent_at, sending_started_at=sent_at, sent_at=sent_at)
    draft = Newsletter(subject=DRAFT_SUBJECT, body=DRAFT_BODY, author_id=author_id,
                       audience=Audience.ALL, audience_ids=[], status=NewsletterStatus.DRAFT,
                       created_at=now - timedelta(days=1), updated_at=now - timedelta(days=1))
    db.session.add_all([sent, draft])
    db.session.flush()
    if consenting:
        db.session.execute(insert(NewsletterDelivery), [
            {"newsletter_id": sent.id, "user_id": user_id, "queued_at": sent_at,
             "skipped": False} for user_id in consenting])
    return {"newsletters": 2, "newsletter consents": len(consenting)}
