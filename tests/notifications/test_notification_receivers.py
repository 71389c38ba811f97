"""Each event gives the right person a notification and an outbox mail, in the same transaction."""

from datetime import UTC, datetime
from types import SimpleNamespace

from sqlalchemy import func, select

from komoro_engage.accounts.models import Role, UserStatus
from komoro_engage.comments.services import add_comment
from komoro_engage.core import clock, events
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.models import Notification
from komoro_engage.notifications.services import set_email_choice
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.proposals.services import approve_proposal, send_back_proposal
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


def rows(model, user):
    return db.session.scalars(select(model).where(model.user_id == user.id)).all()


def test_approval_tells_the_author_and_queues_a_mail(ctx):
    author, staff = make_user(), make_user(role=Role.STAFF)
    proposal = make_proposal(author, ProposalStatus.PENDING, title="駅前に駐輪場を")
    approve_proposal(staff, proposal)

    (notification,) = rows(Notification, author)
    assert notification.kind == kinds.PROPOSAL_APPROVED
    assert notification.params == {"title": "駅前に駐輪場を"}
    assert notification.link == f"/proposals/{proposal.id}"
    assert (notification.target_type, notification.target_id) == ("proposal", proposal.id)
    assert notification.read_at is None
    (mail,) = rows(OutboxMail, author)
    assert mail.to_address == author.email and mail.kind == kinds.PROPOSAL_APPROVED
    assert mail.subject == "【こもろ協働ひろば】提案が公開されました"
    assert "「駅前に駐輪場を」が公開されました" in mail.body
    assert f"http://127.0.0.1:5000/proposals/{proposal.id}" in mail.body
    assert mail.unsubscribe_url in mail.body and "/unsubscribe/" in mail.unsubscribe_url
    assert mail.attempts == 0 and mail.sent_at is None and mail.next_attempt_at is not None
    assert rows(Notification, staff) == [] and rows(OutboxMail, staff) == []


def test_notification_and_mail_roll_back_with_the_event(ctx):
    author, staff = make_user(), make_user(role=Role.STAFF)
    proposal = make_proposal(author, ProposalStatus.PENDING)
    db.session.commit()  # a savepoint of the test's transaction
    approve_proposal(staff, proposal)
    assert len(rows(Notification, author)) == 1 and len(rows(OutboxMail, author)) == 1

    db.session.rollback()

    assert rows(Notification, author) == [] and rows(OutboxMail, author) == []
    assert db.session.get(Proposal, proposal.id).status == ProposalStatus.PENDING


def test_a_failing_receiver_undoes_the_whole_action(ctx, monkeypatch):
    """Same transaction both ways: no published proposal without its notification."""
    author, staff = make_user(), make_user(role=Role.STAFF)
    proposal = make_proposal(author, ProposalStatus.PENDING)
    db.session.commit()
    monkeypatch.setattr("komoro_engage.notifications.services.queue_mail",
                        lambda *a, **k: 1 / 0)
    try:
        approve_proposal(staff, proposal)
        db.session.commit()
    except ZeroDivisionError:
        db.session.rollback()
    assert db.session.get(Proposal, proposal.id).status == ProposalStatus.PENDING
    assert rows(Notification, author) == []


def test_sent_back_carries_the_reason(ctx):
    author, staff = make_user(), make_user(role=Role.STAFF)
    proposal = make_proposal(author, ProposalStatus.PENDING, title="川沿いの遊歩道")
    send_back_proposal(staff, proposal, "場所を具体的に書いてください。")
    (notification,) = rows(Notification, author)
    assert notification.kind == kinds.PROPOSAL_SENT_BACK
    assert notification.params["reason"] == "場所を具体的に書いてください。"
    (mail,) = rows(OutboxMail, author)
    assert "理由：場所を具体的に書いてください。" in mail.body


def test_status_change_and_answer_from_the_staff_console_events(ctx):
    author, staff = make_user(), make_user(role=Role.STAFF)
    proposal = make_proposal(author, ProposalStatus.UNDER_REVIEW, title="図書館の夜間開館")
    events.proposal_status_changed.send(proposal, actor=None, before="published",
                                        after="under_review")
    events.proposal_answered.send(proposal, actor=staff, answer=SimpleNamespace(id=1))
    notifications = sorted(rows(Notification, author), key=lambda n: n.id)
    assert [n.kind for n in notifications] == [kinds.PROPOSAL_STATUS_CHANGED,
                                               kinds.PROPOSAL_ANSWERED]
    assert notifications[0].params["status"] == "under_review"
    bodies = [m.body for m in sorted(rows(OutboxMail, author), key=lambda m: m.id)]
    assert "「図書館の夜間開館」の状態が「検討中」になりました" in bodies[0]
    assert "市の回答が掲載されました" in bodies[1]


def test_nobody_is_told_about_their_own_action(ctx):
    staff_author = make_user(role=Role.STAFF)
    proposal = make_proposal(staff_author, ProposalStatus.PENDING)
    approve_proposal(staff_author, proposal)
    assert rows(Notification, staff_author) == [] and rows(OutboxMail, staff_author) == []


def test_replies_tell_the_parents_author_only(ctx):
    author, commenter, replier = make_user(), make_user(), make_user(nickname="返信する人")
    proposal = make_proposal(author, title="公民館の予約をネットで")
    parent = add_comment(commenter, proposal, "賛成です。")
    assert rows(Notification, author) == []  # a top-level comment is not a reply

    reply = add_comment(replier, proposal, "私もそう思います。", parent=parent)
    add_comment(commenter, proposal, "補足です。", parent=parent)  # replying to oneself

    (notification,) = rows(Notification, commenter)
    assert notification.kind == kinds.COMMENT_REPLY
    assert notification.params == {"title": "公民館の予約をネットで", "nickname": "返信する人"}
    assert notification.link == f"/proposals/{proposal.id}#comment-{reply.id}"
    (mail,) = rows(OutboxMail, commenter)
    assert "返信する人さんが「公民館の予約をネットで」のあなたのコメントに返信しました" in mail.body
    assert rows(Notification, replier) == [] and rows(Notification, author) == []


def test_activity_reminder_once_per_person_and_day(ctx):
    person = make_user()
    day = SimpleNamespace(id=42, __tablename__="activity_day")
    starts = datetime(2026, 12, 5, 0, 30, tzinfo=UTC)
    with clock.freeze(datetime(2026, 12, 4, tzinfo=UTC)):  # the year is not written
        for _ in range(2):
            events.activity_reminder_due.send(day, user=person, title="千曲川の清掃",
                                              url="/projects/7", starts_at=starts)
    (notification,) = rows(Notification, person)
    assert notification.kind == kinds.ACTIVITY_REMINDER and notification.link == "/projects/7"
    (mail,) = rows(OutboxMail, person)
    assert "明日は「千曲川の清掃」の活動日です（12月5日（土）09:30 から）" in mail.body


def test_email_choices_and_unconfirmed_addresses_stop_only_the_mail(ctx):
    opted_out, unverified, staff = make_user(), make_user(email_verified_at=None), make_user(
        role=Role.STAFF)
    set_email_choice(opted_out.id, "proposals", False)
    for author in (opted_out, unverified):
        approve_proposal(staff, make_proposal(author, ProposalStatus.PENDING))
    for author in (opted_out, unverified):
        assert len(rows(Notification, author)) == 1  # the bell still shows it
        assert rows(OutboxMail, author) == []
    # Other categories keep their default (on).
    commenter = make_user()
    parent = add_comment(opted_out, make_proposal(), "意見です。")
    add_comment(commenter, parent.proposal, "返信です。", parent=parent)
    assert len(rows(OutboxMail, opted_out)) == 1


def test_suspended_people_get_nothing(ctx):
    author, staff = make_user(), make_user(role=Role.STAFF)
    proposal = make_proposal(author, ProposalStatus.PENDING)
    author.status = UserStatus.SUSPENDED
    approve_proposal(staff, proposal)
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == author.id)) == 0


def test_a_project_status_change_reaches_members_and_the_waiting_list_with_its_notice(ctx):
    from komoro_engage.projects.membership import join_project
    from komoro_engage.projects.models import ProjectStatus
    from komoro_engage.projects.services import change_status
    from tests.projects.helpers import make_project

    lead = make_user()
    project = make_project(lead=lead, capacity=1, status=ProjectStatus.RECRUITING)
    member, waiting, outsider = make_user(), make_user(), make_user()
    join_project(member, project)
    join_project(waiting, project)  # the one place is taken: キャンセル待ち
    change_status(lead, project, "start", reason="毎週土曜に活動します。軍手をご持参ください。")

    for person in (member, waiting):
        (notification,) = rows(Notification, person)
        assert notification.kind == kinds.PROJECT_STATUS_CHANGED
        text = kinds.message(notification.kind, notification.params)
        assert "「実施中」になりました" in text and "軍手をご持参ください" in text
        (mail,) = rows(OutboxMail, person)
        assert "軍手をご持参ください" in mail.body
    assert rows(Notification, outsider) == [] and rows(Notification, lead) == []  # not their own

    change_status(lead, project, "complete")  # no notice: the status alone
    texts = [kinds.message(n.kind, n.params) for n in rows(Notification, member)]
    assert any("「完了」になりました。" in t and "お知らせ" not in t for t in texts)
