"""Newsletters (お知らせメール, issue 22 point 3): only people who consented get one, each
audience, the count, batches that resume, once per person, the test send, one-click
unsubscribe and the public archive."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import Role, User, UserStatus
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications import newsletters as sending
from komoro_engage.notifications.follow_models import Follow, FollowTarget
from komoro_engage.notifications.newsletter_models import (
    Audience,
    Newsletter,
    NewsletterDelivery,
    NewsletterStatus,
)
from komoro_engage.notifications.outbox import unsubscribe_headers
from komoro_engage.notifications.services import set_email_choice
from komoro_engage.plan.models import District, PolicyArea
from komoro_engage.projects.models import MemberStatus, ProjectMember
from komoro_engage.staff.newsletters import audience_of
from tests.factories import make_user
from tests.projects.helpers import make_project

KEY = "k" * 24


def consenting_user(**fields) -> User:
    user = make_user(**fields)
    set_email_choice(user.id, "newsletter", True)
    return user


def draft(author: User, audience: Audience = Audience.ALL, ids=(), subject="夏祭りのお知らせ",
          body="8月に夏祭りがあります。\nhttps://example.jp/matsuri") -> Newsletter:
    return sending.save_draft(author, None, subject, body, audience, list(ids))


def mails(kind: str = sending.MAIL_KIND) -> list[OutboxMail]:
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.kind == kind)
                                   .order_by(OutboxMail.id)))


def send(author: User, newsletter: Newsletter, key: str = KEY) -> bool:
    return sending.start_sending(author, newsletter, key, audience_of(newsletter))


@pytest.fixture
def staff(ctx):
    return make_user(Role.STAFF, nickname="広報担当")


def test_only_active_verified_consenting_people_get_it(staff):
    yes = consenting_user()
    no_row = make_user()
    declined = make_user()
    set_email_choice(declined.id, "newsletter", False)
    suspended = consenting_user(status=UserStatus.SUSPENDED)
    unverified = consenting_user(email_verified_at=None)
    newsletter = draft(staff)
    assert sending.count_recipients(audience_of(newsletter)) == 1
    assert send(staff, newsletter)
    assert [mail.user_id for mail in mails()] == [yes.id]
    assert newsletter.status == NewsletterStatus.SENT and newsletter.recipient_count == 1
    got = {mail.user_id for mail in mails()}
    assert not got & {no_row.id, declined.id, suspended.id, unverified.id}


def test_every_mail_has_the_one_click_unsubscribe_and_a_link_in_the_body(staff):
    consenting_user()
    send(staff, draft(staff))
    mail = mails()[0]
    assert "/unsubscribe/" in mail.unsubscribe_url
    assert mail.unsubscribe_url in mail.body
    assert "https://example.jp/matsuri" in mail.body
    assert unsubscribe_headers(mail.unsubscribe_url)["List-Unsubscribe-Post"] == \
        "List-Unsubscribe=One-Click"


def test_districts_audience(staff):
    first, second = db.session.scalars(select(District).order_by(District.id).limit(2)).all()
    inside = consenting_user(district_id=first.id)
    consenting_user(district_id=second.id)
    consenting_user()
    newsletter = draft(staff, Audience.DISTRICTS, [first.id])
    assert sending.count_recipients(audience_of(newsletter)) == 1
    send(staff, newsletter)
    assert [mail.user_id for mail in mails()] == [inside.id]


def test_policy_area_audience_counts_only_active_follows(staff):
    area = db.session.scalars(select(PolicyArea).order_by(PolicyArea.number)).first()
    follower, stopped, other = consenting_user(), consenting_user(), consenting_user()
    db.session.add_all([
        Follow(user_id=follower.id, target_type=FollowTarget.POLICY_AREA, target_id=area.id),
        Follow(user_id=stopped.id, target_type=FollowTarget.POLICY_AREA, target_id=area.id,
               stopped_at=db.func.now()),
        Follow(user_id=other.id, target_type=FollowTarget.POLICY_AREA, target_id=area.id + 1),
    ])
    db.session.flush()
    newsletter = draft(staff, Audience.POLICY_AREAS, [area.id])
    assert sending.count_recipients(audience_of(newsletter)) == 1
    send(staff, newsletter)
    assert [mail.user_id for mail in mails()] == [follower.id]


def test_project_audience_is_its_joined_members(staff):
    project = make_project()
    member, waiting, outsider = consenting_user(), consenting_user(), consenting_user()
    db.session.add_all([
        ProjectMember(project_id=project.id, user_id=member.id, status=MemberStatus.JOINED),
        ProjectMember(project_id=project.id, user_id=waiting.id, status=MemberStatus.WAITING),
    ])
    db.session.flush()
    newsletter = draft(staff, Audience.PROJECT, [project.id])
    count = sending.count_recipients(audience_of(newsletter))
    send(staff, newsletter)
    assert count == newsletter.recipient_count == 1
    assert [mail.user_id for mail in mails()] == [member.id]
    assert outsider.id not in {mail.user_id for mail in mails()}


def test_batches_resume_and_nobody_gets_it_twice(staff, monkeypatch):
    people = [consenting_user() for _ in range(7)]
    monkeypatch.setattr(sending, "BATCH_SIZE", 3)
    newsletter = draft(staff)
    send(staff, newsletter)
    # The request wrote the first batch; the rest waits for the command.
    assert newsletter.status == NewsletterStatus.SENDING
    assert newsletter.recipient_count == 7 and len(mails()) == 3
    assert sending.queue_batch(newsletter, 3) == 3  # a run that stopped after one batch
    assert newsletter.status == NewsletterStatus.SENDING
    assert sending.send_waiting(limit=3) == 1  # the next run picks up where it left off
    assert newsletter.status == NewsletterStatus.SENT and newsletter.mailed_count == 7
    assert sending.send_waiting() == 0
    assert sorted(mail.user_id for mail in mails()) == sorted(p.id for p in people)


def test_unsubscribing_between_batches_stops_the_rest(staff, monkeypatch):
    first, second = consenting_user(), consenting_user()
    monkeypatch.setattr(sending, "BATCH_SIZE", 1)
    newsletter = draft(staff)
    send(staff, newsletter)
    set_email_choice(second.id, "newsletter", False)
    sending.send_waiting()
    assert [mail.user_id for mail in mails()] == [first.id]
    assert newsletter.status == NewsletterStatus.SENT and newsletter.mailed_count == 1
    assert db.session.scalar(select(NewsletterDelivery.skipped).where(
        NewsletterDelivery.user_id == second.id))


def test_a_second_send_does_nothing(staff):
    consenting_user()
    newsletter = draft(staff)
    assert send(staff, newsletter)
    assert not send(staff, newsletter)
    assert not send(staff, newsletter, key="x" * 24)
    assert len(mails()) == 1
    assert db.session.scalar(select(func.count()).select_from(NewsletterDelivery)) == 1


def test_the_test_send_goes_to_its_author_alone(staff):
    consenting_user()
    newsletter = draft(staff)
    assert sending.send_test(staff, newsletter)
    assert [mail.to_address for mail in mails(sending.TEST_MAIL_KIND)] == [staff.email]
    assert mails() == [] and newsletter.status == NewsletterStatus.DRAFT


def test_the_archive_has_only_sent_newsletters(staff):
    consenting_user()
    sent = draft(staff, subject="送ったお知らせ")
    send(staff, sent)
    unsent = draft(staff, subject="下書きのお知らせ")
    assert [item.id for item in sending.sent_page(1).items] == [sent.id]
    assert unsent.id not in [item.id for item in sending.sent_page(1).items]


def test_the_demo_has_a_sent_newsletter_once(ctx):
    from komoro_engage.notifications.newsletter_demo import load_newsletter_demo
    from komoro_engage.proposals.demo import NOW, load_demo

    load_demo(20, seed=1)
    make_user(Role.STAFF)
    made = load_newsletter_demo(NOW)
    assert made["newsletters"] == 2 and made["newsletter consents"] > 0
    assert load_newsletter_demo(NOW) == {}
    page = sending.sent_page(1)
    assert page.total == 1
    assert page.items[0].recipient_count == made["newsletter consents"]
    assert mails() == []  # demo addresses are not real


def test_send_newsletters_command_writes_the_rest(app, runner, monkeypatch):
    with app.app_context():
        staff = make_user(Role.STAFF)
        for _ in range(3):
            consenting_user()
        monkeypatch.setattr(sending, "BATCH_SIZE", 1)
        newsletter = draft(staff)
        send(staff, newsletter)
        newsletter_id = newsletter.id
        db.session.commit()
    result = runner.invoke(args=["komoro", "send-newsletters"])
    assert result.exit_code == 0, result.output
    assert "2 mails written" in result.output
    with app.app_context():
        assert db.session.get(Newsletter, newsletter_id).status == NewsletterStatus.SENT
        assert len(mails()) == 3


def test_a_persons_newsletters_are_in_their_data_and_go_with_the_account(staff):
    from komoro_engage.notifications.erasure import erase_notifications, export_notifications

    reader = consenting_user()
    newsletter = draft(staff, subject="データに載るお知らせ")
    send(staff, newsletter)
    exported = export_notifications(reader)
    assert exported["newsletters"][0]["subject"] == "データに載るお知らせ"
    assert exported["newsletters"][0]["mailed"] is True
    erase_notifications(reader, False)
    assert db.session.scalar(select(func.count()).select_from(NewsletterDelivery).where(
        NewsletterDelivery.user_id == reader.id)) == 0
