"""Consultation statements in the staff console (issue 17): pending ones in their own
queue, reported ones in the report queue beside proposals and comments, decided with
the same actions, audit-logged, and counted as the tabs show them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.comments.services import add_comment
from komoro_engage.consultations.models import Statement, StatementStatus
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.moderation.reports import report_item, reportable_kinds
from komoro_engage.staff import actions, queries
from komoro_engage.staff import reported as report_queue
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

HTMX = {"HX-Request": "true"}


def audit_actions(statement_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_type == "statement", AuditEntry.target_id == statement_id)
        .order_by(AuditEntry.id)))


def open_reports(statement_id: int) -> int:
    return len(db.session.scalars(select(Report.id).where(
        Report.target_type == "statement", Report.target_id == statement_id,
        Report.resolved_at.is_(None))).all())


def report(statement: Statement, times: int) -> None:
    for _ in range(times):
        report_item(make_user(), statement, "abuse", "ひどい言い方です")


def test_every_reportable_kind_reaches_the_report_queue(app):
    assert "statement" in reportable_kinds()
    assert reportable_kinds() <= set(report_queue.REPORTED_KINDS) <= set(actions.KINDS)


def test_report_tab_counts_what_its_page_lists(ctx):
    proposal = make_proposal(title="通報された提案")
    report_item(make_user(), proposal, "spam")
    report_item(make_user(), add_comment(make_user(), proposal, "通報されたコメント"), "spam")
    consultation = make_consultation()
    report(make_statement(consultation, "通報された意見その1"), 1)
    report(make_statement(consultation, "通報された意見その2"), 2)

    listed = report_queue.reports_page(None).items
    assert queries.queue_counts()["reports"] == len(listed)
    assert {row.kind for row in listed} == {"proposal", "comment", "statement"}
    statements = [row for row in listed if row.kind == "statement"]
    assert sorted(row.reports for row in statements) == [1, 2]
    assert statements[0].reasons == {"abuse": statements[0].reports}


def test_console_keeps_or_hides_a_reported_statement(staff_member):
    consultation = make_consultation()
    kept = make_statement(consultation, "残すべき意見")
    report(kept, 2)  # under the threshold: still published
    actions.apply_action(staff_member, "dismiss", kept, "問題のない内容でした")
    assert kept.status == StatementStatus.PUBLISHED and open_reports(kept.id) == 0
    assert audit_actions(kept.id) == ["reports.dismissed"]

    wrongly_hidden = make_statement(consultation, "誤って隠された意見")
    report(wrongly_hidden, 3)
    assert wrongly_hidden.status == StatementStatus.HIDDEN and wrongly_hidden.hidden_by_reports
    actions.apply_action(staff_member, "dismiss", wrongly_hidden, "問題なし")
    assert wrongly_hidden.status == StatementStatus.PUBLISHED
    assert not wrongly_hidden.hidden_by_reports and open_reports(wrongly_hidden.id) == 0
    assert audit_actions(wrongly_hidden.id) == [
        "statement.hidden_by_reports", "statement.restore", "reports.dismissed"]

    abusive = make_statement(consultation, "誹謗中傷の意見")
    report(abusive, 3)
    actions.apply_action(staff_member, "hide", abusive, "誹謗中傷のため")
    assert abusive.status == StatementStatus.HIDDEN and not abusive.hidden_by_reports
    assert open_reports(abusive.id) == 0
    assert audit_actions(abusive.id) == [
        "statement.hidden_by_reports", "statement.hidden_by_moderator", "reports.resolved"]

    reported = make_statement(consultation, "非表示にする意見")
    report(reported, 1)
    outcome = actions.apply_to_many(staff_member, "hide", [("statement", reported.id)], "理由")
    assert outcome.done == [f"statement:{reported.id}"]
    assert reported.status == StatementStatus.HIDDEN
    assert audit_actions(reported.id) == ["statement.hide", "reports.resolved"]
    with pytest.raises(actions.ActionNotAllowed):
        actions.apply_action(staff_member, "dismiss", reported, "")  # no open reports left
    skipped = actions.apply_to_many(staff_member, "send_back", [("statement", kept.id)], "理由")
    assert skipped.skipped == [f"statement:{kept.id}"]


def test_console_approves_or_hides_pending_statements(staff_member):
    consultation = make_consultation()
    now = clock.now()
    older = make_statement(consultation, "先に届いた意見", author=make_user(),
                           status=StatementStatus.PENDING, published_at=None,
                           created_at=now - timedelta(days=2))
    newer = make_statement(consultation, "後から届いた意見", author=make_user(),
                           status=StatementStatus.PENDING, published_at=None, created_at=now)
    assert queries.queue_counts()["statements"] == 2
    assert [s.id for s in queries.statements_page(None).items] == [older.id, newer.id]

    outcome = actions.apply_to_many(staff_member, "approve",
                                    [("statement", older.id), ("statement", newer.id)])
    assert len(outcome.done) == 2 and older.status == StatementStatus.PUBLISHED
    assert older.published_at is not None and audit_actions(older.id) == ["statement.approve"]
    assert queries.queue_counts()["statements"] == 0
    again = actions.apply_to_many(staff_member, "approve", [("statement", older.id)])
    assert again.skipped == [f"statement:{older.id}"]  # someone got there first


@pytest.fixture
def staff_member(ctx):
    return make_user(role=Role.STAFF)


def test_main_console_page_reaches_statements_to_check(app, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        consultation = make_consultation(title="駅前広場のこれから")
        pending = make_statement(consultation, "ベンチを置いてほしい", author=make_user(),
                                 status=StatementStatus.PENDING, published_at=None).id
        reported = make_statement(consultation, "通報されるはずの意見")
        report(reported, 1)
        reported, cid = reported.id, consultation.id
        db.session.commit()
    client = login(staff)
    main = client.get("/staff").get_data(as_text=True)
    assert 'href="/staff?queue=statements"' in main
    assert "広聴の意見の確認待ち" in main and 'href="/staff/consultations"' in main

    page = client.get("/staff?queue=statements").get_data(as_text=True)
    assert "ベンチを置いてほしい" in page and "駅前広場のこれから" in page
    assert f'value="statement:{pending}"' in page
    assert f'href="/staff/consultations/{cid}#queue"' in page
    reports = client.get("/staff?queue=reports").get_data(as_text=True)
    assert "通報されるはずの意見" in reports and "誹謗中傷 1" in reports
    assert f'value="statement:{reported}"' in reports

    done = client.post("/staff/actions", headers=HTMX, data={
        "targets": f"statement:{pending}", "inline": "1", "action": "approve",
        "queue": "statements"})
    assert done.status_code == 200
    assert "「ベンチを置いてほしい」を承認して公開しました。" in done.get_data(as_text=True)
    hidden = client.post("/staff/actions", data={
        "targets": f"statement:{reported}", "action": "hide", "reason": "誹謗中傷のため",
        "queue": "reports"})
    assert hidden.status_code == 302 and hidden.headers["Location"].endswith(
        "/staff?queue=reports")
    with app.app_context():
        assert db.session.get(Statement, pending).status == StatementStatus.PUBLISHED
        assert db.session.get(Statement, reported).status == StatementStatus.HIDDEN
        assert open_reports(reported) == 0
