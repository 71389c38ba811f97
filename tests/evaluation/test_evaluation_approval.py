"""Approval (決裁) of evaluation records, issue 23 point 3: with the city's setting on, a
draft is submitted, stays private and locked, and another staff member or an admin
approves it (which finalises it) or returns it with a reason; never the person who
saved or submitted it. Every step is audited, and each happens once."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import inspect, select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.evaluation import services
from komoro_engage.evaluation.models import EvaluationRecord
from komoro_engage.extensions import db
from tests.evaluation.helpers import measure, rating
from tests.factories import make_user

CHECK = "決裁待ちの評価の本文です。"


@contextmanager
def approval(app):
    app.config["EVALUATIONS_NEED_APPROVAL"] = True
    try:
        yield
    finally:
        app.config["EVALUATIONS_NEED_APPROVAL"] = False


@pytest.fixture
def people(app):
    with app.app_context():
        people = (make_user(Role.STAFF, nickname="評価を書く職員"),
                  make_user(Role.STAFF, nickname="決裁する職員"), make_user(Role.ADMIN))
        target = measure("1-2").id
        db.session.commit()
        return (*people, target)


def _record(app, target):
    with app.app_context():
        record = db.session.scalars(select(EvaluationRecord).where(
            EvaluationRecord.measure_id == target, EvaluationRecord.fiscal_year == 2025)).one()
        return record.id, record.status, record.version


def _actions(app, record_id):
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_type == "evaluation_record", AuditEntry.target_id == record_id)
            .order_by(AuditEntry.id)))


def test_submit_return_and_approve_through_the_pages(app, login, client, people):
    writer_user, approver_user, _admin, target = people
    writer, approver = login(writer_user), login(approver_user)
    base = f"/staff/measures/{target}/evaluations/2025"
    with app.app_context():
        b = str(rating("B").id)
    with approval(app):
        writer.post(base, data={"rating": b, "check_text": CHECK, "act_text": "続ける。"})
        record_id, status, version = _record(app, target)
        assert (status, version) == ("draft", 2)
        preview = writer.get(f"{base}/preview").text
        assert "決裁に回す" in preview and "評価を確定して公開" not in preview
        assert writer.post(f"{base}/finalise",
                           data={"version": "2", "confirm": "y"}).status_code == 403
        assert writer.post(f"{base}/submit", data={"version": "2"}).status_code == 302
        assert _record(app, target)[1] == "submitted"
        # Locked, private everywhere, and not the writer's to approve or return.
        assert writer.post(base, data={"rating": b, "check_text": "x"}).status_code == 409
        assert "決裁待ちのため編集できません" in writer.get(base).text
        for path in (f"/evaluations/{record_id}", "/api/v1/evaluations?fiscal_year=2025",
                     "/dashboard?fiscal_year=2025", "/plan/measures/1-2"):
            response = client.get(path)
            assert response.status_code == (404 if "/evaluations/" in path else 200), path
            assert CHECK not in response.text, path
        assert writer.post(f"{base}/approve",
                           data={"version": "2", "confirm": "y"}).status_code == 403
        assert writer.post(f"{base}/return",
                           data={"version": "2", "reason": "自分で"}).status_code == 403
        # The approver sees the same page with the approve and return forms.
        shown = approver.get(f"{base}/preview")
        assert shown.status_code == 200 and CHECK in shown.text and "承認して確定する" in shown.text
        assert shown.headers["Cache-Control"] == "private, no-store"
        assert '<meta name="robots" content="noindex">' in shown.text
        empty = approver.post(f"{base}/return", data={"version": "2", "reason": ""})
        assert empty.status_code == 422 and 'id="reason-error"' in empty.text
        approver.post(f"{base}/return", data={"version": "2", "reason": "数値の出典を加えて"})
        assert _record(app, target)[1:] == ("draft", 3)
        assert "数値の出典を加えて" in writer.get(base).text
        steps = writer.get(f"{base}/preview").text  # the record's steps, for staff
        assert "経過（職員のみ）" in steps and "決裁に回付" in steps
        assert "差し戻し · 決裁する職員：数値の出典を加えて" in steps
        writer.post(base, data={"rating": b, "check_text": CHECK, "act_text": "出典: 市統計"})
        writer.post(f"{base}/submit", data={"version": "4"})
        unticked = approver.post(f"{base}/approve", data={"version": "4"})
        assert unticked.status_code == 422 and 'id="confirm-error"' in unticked.text
        assert approver.post(f"{base}/approve",
                             data={"version": "4", "confirm": "y"}).status_code == 302
        assert approver.post(f"{base}/approve",  # a double click changes nothing
                             data={"version": "4", "confirm": "y"}).status_code == 302
    assert _record(app, target)[1] == "finalised"
    assert CHECK in client.get(f"/evaluations/{record_id}").text
    assert _actions(app, record_id) == [
        "evaluation.created", "evaluation.draft_saved", "evaluation.submitted",
        "evaluation.returned", "evaluation.draft_saved", "evaluation.submitted",
        "evaluation.finalised", "evaluation.approved"]
    with app.app_context():
        record = db.session.get(EvaluationRecord, record_id)
        assert record.finalised_by_id == inspect(approver_user).identity[0]


def test_without_approval_finalising_needs_the_ticked_box(app, login, client, people):
    writer_user, _approver, _admin, target = people
    writer = login(writer_user)
    base = f"/staff/measures/{target}/evaluations/2025"
    with app.app_context():
        b = str(rating("B").id)
    writer.post(base, data={"rating": b, "check_text": CHECK})
    record_id = _record(app, target)[0]
    edit = writer.get(base).text
    assert "プレビューして確定へ進む" in edit
    preview = writer.get(f"{base}/preview").text
    assert "評価を確定して公開" in preview and "プレビュー（まだ公開されていません）" in preview
    assert client.get(f"/evaluations/{record_id}").status_code == 404
    assert writer.post(f"{base}/finalise", data={"version": "2"}).status_code == 422
    assert writer.post(f"{base}/finalise",
                       data={"version": "2", "confirm": "y"}).status_code == 302
    assert CHECK in client.get(f"/evaluations/{record_id}").text


def test_services_refuse_own_approval_and_stale_versions(app, people):
    writer_user, approver_user, admin_user, target = people
    with app.app_context():
        from komoro_engage.accounts.models import User

        writer, approver, admin = (db.session.get(User, inspect(u).identity[0])
                                   for u in (writer_user, approver_user, admin_user))
        record = services.open_record(writer, measure("1-2"), 2025)
        services.save_draft(writer, record, rating("A"), CHECK, "")
        services.submit_record(admin, record, record.version)  # an admin submits it
        assert not services.can_approve(writer, record)  # saved it last
        assert not services.can_approve(admin, record)  # submitted it
        with pytest.raises(services.RecordLocked):
            services.save_draft(approver, record, rating("B"), "書き換え", "")
        with pytest.raises(services.NotYourApproval):
            services.approve_record(writer, record, record.version)
        with pytest.raises(services.RecordChanged):
            services.approve_record(approver, record, record.version + 1)
        services.approve_record(approver, record, record.version)
        assert record.is_final
        with pytest.raises(services.NotYourApproval):  # no longer submitted
            services.approve_record(approver, record, record.version)
        db.session.rollback()
