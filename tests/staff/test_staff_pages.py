"""The console and staff pages over HTTP: plain forms, htmx, and what the public sees."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from komoro_engage.accounts.models import Role, User, UserStatus
from komoro_engage.comments.services import add_comment
from komoro_engage.core.audit import AuditEntry, record_audit
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import report_item
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.links import link_measure, unlink_measure
from komoro_engage.proposals.lifecycle.models import ProposalAnswer
from komoro_engage.proposals.models import Proposal, ProposalStatus
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

HTMX = {"HX-Request": "true"}


def setup_staff(app, role=Role.STAFF):
    with app.app_context():
        staff = make_user(role=role, nickname=f"職員{role}")
        db.session.commit()
        return staff


def test_console_lists_each_queue_with_counts(app, login):
    with app.app_context():
        old = make_proposal(status=ProposalStatus.PENDING, title="古い審査待ちの提案です",
                            submitted_at=datetime.now(UTC) - timedelta(days=9))
        make_proposal(status=ProposalStatus.PENDING, title="新しい審査待ちの提案")
        reported = make_proposal(title="通報された提案です")
        comment = add_comment(make_user(), reported, "通報されたコメントです")
        report_item(make_user(), reported, "spam", "宣伝です")
        report_item(make_user(), comment, "abuse")
        waiting = make_proposal(status=ProposalStatus.UNDER_REVIEW, title="回答待ちの提案です")
        late = make_proposal(status=ProposalStatus.UNDER_REVIEW, title="期限切れの提案です")
        now = datetime.now(UTC)
        db.session.add_all([
            ProposalAnswer(proposal_id=waiting.id, review_started_at=now,
                           deadline_at=now + timedelta(days=20)),
            ProposalAnswer(proposal_id=late.id, review_started_at=now - timedelta(days=40),
                           deadline_at=now - timedelta(days=10))])
        db.session.commit()
        old_id = old.id
    client = login(setup_staff(app))
    page = client.get("/staff").get_data(as_text=True)
    assert page.index("古い審査待ちの提案です") < page.index("新しい審査待ちの提案")
    assert "（9日前）" in page
    reports = client.get("/staff?queue=reports").get_data(as_text=True)
    assert "通報された提案です" in reports and "通報されたコメントです" in reports
    assert "スパム 1" in reports and "宣伝です" in reports and "誹謗中傷 1" in reports
    client.set_cookie("lang", "en")  # the reasons' labels are translated per request
    reports_en = client.get("/staff?queue=reports").get_data(as_text=True)
    assert "Spam 1" in reports_en and "スパム" not in reports_en
    client.set_cookie("lang", "ja")
    threshold = client.get("/staff?queue=threshold").get_data(as_text=True)
    assert "回答待ちの提案です" in threshold and "期限切れの提案です" in threshold
    overdue = client.get("/staff?queue=overdue").get_data(as_text=True)
    assert "期限切れの提案です" in overdue and "回答待ちの提案です" not in overdue
    assert "（10日超過）" in overdue
    fragment = client.get("/staff?queue=pending", headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment and f"proposal:{old_id}" in fragment


def test_inline_htmx_approve_and_error(app, login):
    with app.app_context():
        pending = make_proposal(status=ProposalStatus.PENDING)
        db.session.commit()
        key = f"proposal:{pending.id}"
    client = login(setup_staff(app))
    missing = client.post("/staff/actions", headers=HTMX, data={
        "targets": key, "inline": "1", "action": "send_back", "reason": " "})
    assert missing.status_code == 200
    assert missing.headers["HX-Retarget"] == f"#error-proposal-{pending.id}"
    assert "理由が必要" in missing.get_data(as_text=True)
    done = client.post("/staff/actions", headers=HTMX, data={
        "targets": key, "inline": "1", "action": "approve", "queue": "pending"})
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and 'hx-swap-oob="true"' in body
    assert "「駅前に花壇をつくる提案" in body and "」を承認して公開しました。" in body
    with app.app_context():
        assert db.session.get(Proposal, pending.id).status == ProposalStatus.PUBLISHED


def test_plain_form_error_keeps_the_reason_and_bulk_applies_to_all(app, login):
    with app.app_context():
        ids = [make_proposal(status=ProposalStatus.PENDING).id for _ in range(3)]
        db.session.commit()
    client = login(setup_staff(app))
    refused = client.post("/staff/actions", data={
        "targets": [f"proposal:{i}" for i in ids], "action": "hide", "reason": ""})
    assert refused.status_code == 422 and "理由が必要" in refused.get_data(as_text=True)
    response = client.post("/staff/actions", data={
        "targets": [f"proposal:{i}" for i in ids], "action": "send_back",
        "reason": "写真に個人が写っています", "queue": "pending"})
    assert response.status_code == 302
    with app.app_context():
        statuses = db.session.scalars(select(Proposal.status).where(Proposal.id.in_(ids))).all()
        assert set(statuses) == {ProposalStatus.DRAFT}
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "proposal.sent_back", AuditEntry.target_id.in_(ids))).all()
        assert len(entries) == 3 and {e.reason for e in entries} == {"写真に個人が写っています"}


def test_an_items_refused_reason_comes_back_in_its_own_box_without_javascript(app, login):
    with app.app_context():
        first, second = (make_proposal(status=ProposalStatus.PENDING).id for _ in range(2))
        db.session.commit()
    client = login(setup_staff(app))
    typed = "長すぎる理由" * 400  # past the 2,000 characters a reason may have
    refused = client.post("/staff/actions", data={
        "targets": f"proposal:{first}", "action": "send_back", "reason": typed,
        "inline": "1", "queue": "pending"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "2,000文字以内" in html
    kept = re.search(rf'<textarea id="reason-proposal-{first}"[^>]*>([^<]*)</textarea>', html)
    other = re.search(rf'<textarea id="reason-proposal-{second}"[^>]*>([^<]*)</textarea>', html)
    assert kept and kept.group(1) == typed
    assert other and other.group(1) == ""


def test_suspended_from_the_console_cannot_post_support_or_comment(app, login):
    with app.app_context():
        troll = make_user(nickname="荒らし")
        proposal = make_proposal()
        db.session.commit()
        troll_id, proposal_id = troll.id, proposal.id
    admin = login(setup_staff(app, Role.ADMIN))
    form = admin.get(f"/staff/users/{troll_id}/suspend")
    assert form.status_code == 200
    assert admin.post(f"/staff/users/{troll_id}/suspend", data={"reason": ""}).status_code == 422
    assert admin.post(f"/staff/users/{troll_id}/suspend",
                      data={"reason": "繰り返しの誹謗中傷"}).status_code == 302
    with app.app_context():
        user = db.session.get(User, troll_id)
        assert user.status == UserStatus.SUSPENDED
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "user.suspended", AuditEntry.target_id == troll_id)).one()
        assert entry.reason == "繰り返しの誹謗中傷" and entry.after == {"status": "suspended"}
        # A session cookie for the suspended account (login() reads its current version).
    troll_client = login(user)
    for url, data in ((f"/proposals/{proposal_id}/support", {}),
                      (f"/proposals/{proposal_id}/comments", {"body": "まだ書ける？"}),
                      ("/proposals/new", {"title": "停止中の投稿です", "body": "x"})):
        response = troll_client.post(url, data=data)
        assert response.status_code == 302 and response.location.startswith("/login"), url
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).support_count == 0


def test_audit_log_filters_and_csv(app, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF, nickname="監査の職員")
        target = make_proposal()
        record_audit(staff, "proposal.hidden_by_moderator", target, "=HYPERLINK(\"x\")",
                     before={"status": "published"}, after={"status": "hidden"})
        record_audit(None, "proposal.review_started", target, "自動")
        db.session.commit()
        staff_id = staff.id
    admin = login(setup_staff(app, Role.ADMIN))
    page = admin.get(f"/admin/audit?actor={staff_id}&target_type=proposal").get_data(as_text=True)
    assert "<td>proposal.hidden_by_moderator</td>" in page and "<td>自動</td>" not in page
    assert "&#34;status&#34;: &#34;hidden&#34;" in page or '"status": "hidden"' in page
    system = admin.get("/admin/audit?actor=system&action=proposal.review_started")
    assert "<td>自動</td>" in system.get_data(as_text=True)
    future = admin.get("/admin/audit?since=2999-01-01").get_data(as_text=True)
    assert "<td>proposal.hidden_by_moderator</td>" not in future
    export = admin.get(f"/admin/audit.csv?actor={staff_id}")
    raw = export.get_data()
    assert export.mimetype == "text/csv" and raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "created_at", "actor_id", "actor", "action"]
    assert [row[4] for row in rows[1:]] == ["proposal.hidden_by_moderator"]
    assert rows[1][7].startswith("'=")  # no formula for Excel
    assert rows[1][9] == '{"status": "hidden"}'
    staff_client = login(setup_staff(app))
    assert staff_client.get("/admin/audit.csv").status_code == 403


def test_public_pages_show_answer_deadline_links_and_timeline(app, login, client):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        proposal = make_proposal(title="駅前に屋根付きの駐輪場を")
        measure, other = db.session.scalars(select(Measure).order_by(Measure.sort_key).limit(2))
        link_measure(staff, proposal, measure, 2026, "通学の足を守るため")
        unlink_measure(staff, link_measure(staff, proposal, other, 2026, "誤り"), "別の施策")
        db.session.commit()
        ids = {"proposal": proposal.id, "measure": measure.id, "code": measure.code,
               "other": other.id}
    staff_client = login(setup_staff(app))
    assert staff_client.post(f"/staff/proposals/{ids['proposal']}/answer", data={
        "status": "adopted", "body": "", "department": "", "answered_on": "x"}).status_code == 422
    assert staff_client.post(f"/staff/proposals/{ids['proposal']}/answer", data={
        "status": "adopted", "body": "来年度に設置します。", "department": "都市計画課",
        "answered_on": "2026-06-01"}).status_code == 302  # a draft: see test_answer_drafts.py
    assert staff_client.post(f"/staff/proposals/{ids['proposal']}/answer/publish", data={
        "version": "1", "confirm": "y"}).status_code == 302
    page = client.get(f"/proposals/{ids['proposal']}").get_data(as_text=True)
    assert "市の回答" in page and "来年度に設置します。" in page and "都市計画課" in page
    assert "2026-06-01" in page and "通学の足を守るため" in page
    assert "外された紐付け（1件）" in page and "別の施策" in page
    assert page.count('class="badge status-adopted"') >= 2  # badge and timeline
    measure_page = client.get(f"/plan/measures/{ids['code']}").get_data(as_text=True)
    assert "駅前に屋根付きの駐輪場を" in measure_page and "通学の足を守るため" in measure_page
    listed = client.get(f"/proposals?measure={ids['measure']}").get_data(as_text=True)
    assert "駅前に屋根付きの駐輪場を" in listed
    unlinked = client.get(f"/proposals?measure={ids['other']}").get_data(as_text=True)
    assert "駅前に屋根付きの駐輪場を" not in unlinked  # active links only


def test_deadline_shows_publicly_and_proxy_entry_is_marked(app, login, client):
    with app.app_context():
        proposal = make_proposal(status=ProposalStatus.UNDER_REVIEW)
        db.session.add(ProposalAnswer(proposal_id=proposal.id,
                                      review_started_at=datetime(2026, 1, 1, tzinfo=UTC),
                                      deadline_at=datetime(2026, 1, 31, 3, tzinfo=UTC)))
        db.session.commit()
        proposal_id = proposal.id
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "回答期限：1月31日（土）12:00" in page and "期限を過ぎています" in page
    staff = login(setup_staff(app))
    with app.app_context():
        resident_id = make_user(nickname="紙の提案者", email="paper@example.jp").id
        db.session.commit()
        area_id = db.session.scalar(select(Measure.policy_area_id).limit(1))
    form = {"title": "公民館に手すりを付けてほしい", "body": "階段が急です。", "kind": "idea",
            "policy_areas": [str(area_id)], "place": "", "author": "nobody@example.jp",
            "occasion": "district_meeting", "occasion_detail": "乙女地区懇談会",
            "received_on": "2026-06-01"}
    refused = staff.post("/staff/proposals/new", data=form)
    assert refused.status_code == 422 and "有効なアカウントはありません" in refused.get_data(
        as_text=True)
    response = staff.post("/staff/proposals/new", data={**form, "author": "paper@example.jp"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "職員が代理入力しました（地区懇談会：乙女地区懇談会、6月1日（月）受付）" in page
    assert "紙の提案者" in page
    with app.app_context():
        assert db.session.scalar(select(Proposal.author_id).where(
            Proposal.title == "公民館に手すりを付けてほしい")) == resident_id
