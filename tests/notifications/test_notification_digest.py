"""``flask komoro send-digests``: each staff member's daily count of what waits."""

from datetime import date

from sqlalchemy import select, update

from komoro_engage.accounts.models import Role, UserStatus
from komoro_engage.comments.services import add_comment
from komoro_engage.consultations.models import Statement, StatementStatus
from komoro_engage.core import clock
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.moderation.reports import report_item
from komoro_engage.notifications import kinds
from komoro_engage.notifications.digest import send_digests, waiting_counts
from komoro_engage.notifications.models import Notification
from komoro_engage.notifications.services import set_email_choice
from komoro_engage.proposals.models import Proposal, ProposalStatus
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


def digests(user):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kinds.STAFF_DIGEST)).all()


def clear_queues():
    """Start from empty queues whatever other rows the shared database holds."""
    for proposal in db.session.scalars(select(Proposal).where(Proposal.status.in_(
            (ProposalStatus.PENDING, ProposalStatus.UNDER_REVIEW)))):
        proposal.status = ProposalStatus.PUBLISHED
    db.session.execute(update(Report).where(Report.resolved_at.is_(None))
                       .values(resolved_at=clock.now()))
    db.session.execute(update(Statement).where(Statement.status == StatementStatus.PENDING)
                       .values(status=StatementStatus.PUBLISHED))
    db.session.flush()


def test_counts_come_from_the_proposal_and_report_tables(ctx):
    clear_queues()
    assert waiting_counts() == {"pending": 0, "statements": 0, "reports": 0, "answers": 0}
    make_proposal(status=ProposalStatus.PENDING)
    make_proposal(status=ProposalStatus.PENDING)
    make_proposal(status=ProposalStatus.UNDER_REVIEW)
    reported = make_proposal()
    comment = add_comment(make_user(), reported, "広告です。")
    for reporter in (make_user(), make_user()):  # two reports of one item: one decision
        report_item(reporter, comment, "spam")
    assert waiting_counts() == {"pending": 2, "statements": 0, "reports": 1, "answers": 1}


def test_each_active_staff_member_gets_one_digest_a_day(ctx):
    clear_queues()
    make_proposal(status=ProposalStatus.PENDING)
    staff, admin, resident = make_user(role=Role.STAFF), make_user(role=Role.ADMIN), make_user()
    suspended = make_user(role=Role.STAFF, status=UserStatus.SUSPENDED)
    quiet = make_user(role=Role.STAFF)
    set_email_choice(quiet.id, "staff_digest", False)

    report = send_digests(date(2026, 11, 27))

    assert report.notified >= 3
    for member in (staff, admin, quiet):
        (digest,) = digests(member)
        assert digest.params["pending"] == 1 and digest.link == "/staff"
    assert digests(resident) == [] and digests(suspended) == []
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.user_id == staff.id)).one()
    assert "審査待ちの提案 1件" in mail.body
    assert db.session.scalars(select(OutboxMail).where(OutboxMail.user_id == quiet.id)).all() == []

    again = send_digests(date(2026, 11, 27))  # the same day: nothing new
    assert again.notified == 0 and again.already_sent >= 3
    assert len(digests(staff)) == 1
    send_digests(date(2026, 11, 28))
    assert len(digests(staff)) == 2


def test_no_digest_when_nothing_waits(ctx):
    clear_queues()
    staff = make_user(role=Role.STAFF)
    assert waiting_counts() == {"pending": 0, "statements": 0, "reports": 0, "answers": 0}
    report = send_digests(date(2026, 11, 27))
    assert report.notified == 0 and "no digest sent" in report.summary()
    assert digests(staff) == []


def test_the_command_reports_what_it_did(app, runner):
    with app.app_context():
        clear_queues()
        make_proposal(status=ProposalStatus.PENDING)
        make_user(role=Role.STAFF)
        db.session.commit()
    first = runner.invoke(args=["komoro", "send-digests"])
    second = runner.invoke(args=["komoro", "send-digests"])
    assert first.exit_code == 0 and "staff notified" in first.output
    assert "0 staff notified" in second.output
    # the daily mail of followed items goes with it (tests/notifications/test_follows.py)
    assert "daily mail(s) of followed items queued" in first.output


def test_statements_waiting_for_pre_moderation_are_counted_and_said(ctx):
    clear_queues()
    consultation = make_consultation()
    for text in ("駐輪場を増やしてほしい", "ベンチがほしい"):
        make_statement(consultation, text, author=make_user(),
                       status=StatementStatus.PENDING, published_at=None)
    reported = make_statement(consultation, "通報された意見")
    report_item(make_user(), reported, "abuse")
    assert waiting_counts() == {"pending": 0, "statements": 2, "reports": 1, "answers": 0}
    staff = make_user(role=Role.STAFF)

    report = send_digests(date(2026, 11, 27))  # only statements wait: still worth a digest

    assert report.notified >= 1 and "statements 2" in report.summary()
    (digest,) = digests(staff)
    assert digest.params["statements"] == 2
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.user_id == staff.id)).one()
    assert "確認待ちの広聴の意見 2件" in mail.body


def test_a_digest_stored_before_statements_were_counted_still_reads():
    said = kinds.message(kinds.STAFF_DIGEST, {"pending": 1, "reports": 0, "answers": 2})
    assert "審査待ちの提案 1件" in said and "確認待ちの広聴の意見 0件" in said
