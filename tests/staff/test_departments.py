"""Departments (担当課): loaded with the plan file, edited by admins, and what the
console makes of them: 自分の課 queues (counts that agree, statements that do not grow),
探す by department, and the answer's department from the assignment (issue 22 point 1,
issue 23 point 1)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department, departments_of, set_memberships
from komoro_engage.plan.loader import PlanDataError, read_plan_file
from komoro_engage.plan.services import seed_plan
from komoro_engage.proposals.lifecycle.models import ProposalAnswer, ProposalAnswerDraft
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.staff import handling, queries
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


def ordered() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.sort_order)))


def routed(staff, department, due, **fields):
    proposal = make_proposal(status=ProposalStatus.UNDER_REVIEW, **fields)
    db.session.add(ProposalAnswer(proposal_id=proposal.id, deadline_at=due,
                                  review_started_at=due - timedelta(days=30)))
    db.session.flush()
    handling.assign_proposal(staff, proposal, department)
    return proposal


def test_the_plan_file_loads_departments_once_and_keeps_a_deactivation(app):
    with app.app_context():
        names = [d.name for d in ordered()]
        assert len(names) >= 15 and names[0] == "企画課" and "都市計画課" in names
        first = ordered()[0]
        first.active = False
        db.session.flush()
        report = seed_plan(read_plan_file(app.config["PLAN_DATA_FILE"]))
        assert "department" not in report.created and "department" not in report.updated
        assert first.active is False  # a new seed never reopens one
        db.session.rollback()


def test_a_duplicate_department_in_the_file_is_refused(app, tmp_path):
    from pathlib import Path

    text = Path(app.config["PLAN_DATA_FILE"]).read_text(encoding="utf-8")
    path = tmp_path / "plan.toml"
    path.write_text(text + '\n[[departments]]\nname = "企画課"\n', encoding="utf-8")
    with pytest.raises(PlanDataError, match="departments.*duplicate entry 企画課"):
        read_plan_file(path)


def _admin_world(app):
    with app.app_context():
        admin = make_user(role=Role.ADMIN, nickname="管理者さん")
        staff = make_user(role=Role.STAFF, nickname="所属する職員")
        db.session.commit()
        ids = admin.id, staff.id
        for person in (admin, staff):
            db.session.refresh(person)
            db.session.expunge(person)
        return admin, staff, ids


def test_admins_add_rename_deactivate_and_set_memberships(app, login):
    admin, staff, (_admin_id, staff_id) = _admin_world(app)
    client = login(admin)
    assert client.post("/admin/departments", data={
        "name": "デジタル推進課", "name_kana": "でじたるすいしんか", "name_en": "Digital"}
    ).status_code == 302
    with app.app_context():
        added = db.session.scalar(select(Department).where(Department.name == "デジタル推進課"))
        added_id, first_id = added.id, ordered()[0].id
    assert client.post(f"/admin/departments/{added_id}", data={
        "name": "DX推進課", "name_kana": "", "name_en": ""}).status_code == 302
    assert client.post(f"/admin/departments/{added_id}/active",
                       data={"active": "0"}).status_code == 302
    assert client.post(f"/admin/users/{staff_id}/departments",
                       data={"departments": [str(first_id)]}).status_code == 302
    page = client.get("/admin/departments").text
    assert "DX推進課" in page and "休止中" in page
    with app.app_context():
        renamed = db.session.get(Department, added_id)
        assert renamed.name == "DX推進課" and renamed.active is False
        assert [d.id for d in departments_of(staff_id)] == [first_id]
        actions = set(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("department.%") | (AuditEntry.action
                                                      == "user.departments_changed"))))
        assert actions == {"department.added", "department.renamed",
                           "department.deactivated", "user.departments_changed"}
    assert login(staff).get("/admin/departments").status_code == 403


def test_a_refused_department_keeps_what_was_typed_in_the_readers_language(app, login):
    admin, _staff, _ids = _admin_world(app)
    client = login(admin)
    bad = client.post("/admin/departments", data={"name": "企画課", "name_kana": "カタカナ",
                                                  "name_en": "Planning again"})
    assert bad.status_code == 422
    assert "同じ名前の課がすでにあります" in bad.text and "ひらがなで入力してください" in bad.text
    assert 'value="Planning again"' in bad.text
    client.post("/lang", data={"lang": "en", "next": "/admin/departments"})
    bad = client.post("/admin/departments", data={"name": "", "name_en": "Kept text"})
    assert bad.status_code == 422 and "Enter the department name." in bad.text
    assert 'value="Kept text"' in bad.text


def test_my_department_queues_count_what_their_tabs_list(app, login):
    now = datetime.now(UTC)
    with app.app_context():
        staff = make_user(role=Role.STAFF, nickname="課の職員")
        other = make_user(role=Role.STAFF)
        mine, theirs = ordered()[:2]
        set_memberships(staff, staff, {mine.id})
        late = routed(staff, mine, now - timedelta(days=2), title="期限を過ぎた提案")
        routed(staff, mine, now + timedelta(days=5), title="まだ間に合う提案")
        routed(staff, theirs, now - timedelta(days=2), title="よその課の提案")
        # Routed to the department too, but no longer waiting: answered, or hidden since.
        answered = routed(staff, mine, now - timedelta(days=2), title="回答済みの提案")
        db.session.get(ProposalAnswer, answered.id).answered_at = now
        hidden = routed(staff, mine, now - timedelta(days=2), title="非表示の提案")
        hidden.status = ProposalStatus.HIDDEN
        db.session.flush()
        counts = queries.queue_counts(user_id=staff.id)
        assert (counts["mine"], counts["mine_overdue"]) == (2, 1)
        assert queries.queue_counts(user_id=other.id)["mine"] == 0
        assert queries.queue_counts()["mine"] == 0
        # The counts' statement is built once: each call's own moment decides what is late.
        a_week_on = queries.queue_counts(now=now + timedelta(days=7), user_id=staff.id)
        assert (a_week_on["mine"], a_week_on["mine_overdue"]) == (2, 2)
        db.session.commit()
        late_id = late.id
        db.session.refresh(staff)
        db.session.expunge(staff)
    client = login(staff)
    page = client.get("/staff?queue=mine").text
    assert "期限を過ぎた提案" in page and "まだ間に合う提案" in page and "よその課" not in page
    assert "回答済みの提案" not in page and "非表示の提案" not in page
    overdue = client.get("/staff?queue=mine_overdue").text
    assert "期限を過ぎた提案" in overdue and "まだ間に合う提案" not in overdue
    assert '<span id="queue-count">1</span>' in overdue
    assert f"/staff/proposals/{late_id}/handling" in overdue


def _grow(app, staff_id: int, n: int) -> None:
    with app.app_context():
        from komoro_engage.accounts.models import User

        staff = db.session.get(User, staff_id)
        department = ordered()[0]
        now = datetime.now(UTC)
        for index in range(n):
            proposal = routed(staff, department, now + timedelta(days=(-1) ** index))
            handling.add_note(staff, proposal, "メモ")
        db.session.commit()


@pytest.mark.parametrize("url", ["/staff?queue=mine", "/staff?queue=mine_overdue",
                                 "/staff/find?department={department}"])
def test_department_pages_do_not_grow(app, login, count_queries, url):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        department = ordered()[0]
        set_memberships(staff, staff, {department.id})
        db.session.commit()
        staff_id, department_id = staff.id, department.id
        db.session.refresh(staff)
        db.session.expunge(staff)
    client = login(staff)
    url = url.format(department=department_id)
    _grow(app, staff_id, 2)
    before = count_queries.of_get(client, url)
    _grow(app, staff_id, 10)
    assert count_queries.of_get(client, url) == before, count_queries.statements


def test_find_filters_by_the_current_department(app, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        first, second = ordered()[:2]
        due = datetime.now(UTC) + timedelta(days=9)
        routed(staff, first, due, title="最初の課の提案")
        moved = routed(staff, first, due, title="移された提案")
        handling.assign_proposal(staff, moved, second)
        db.session.commit()
        ids = first.id, second.id
        db.session.refresh(staff)
        db.session.expunge(staff)
    client = login(staff)
    page = client.get(f"/staff/find?department={ids[0]}").text
    assert "最初の課の提案" in page and "移された提案" not in page
    page = client.get(f"/staff/find?department={ids[1]}").text
    assert "移された提案" in page and "最初の課の提案" not in page
    odd = client.get("/staff/find?department=abc")
    assert odd.status_code == 200 and "この値は選べません" in odd.text


def test_the_answer_form_takes_its_department_from_the_assignment(app, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        department = ordered()[3]
        proposal = routed(staff, department, datetime.now(UTC) + timedelta(days=9))
        unrouted = make_proposal(status=ProposalStatus.PUBLISHED)
        db.session.commit()
        ids, name = (proposal.id, unrouted.id), department.name
        db.session.refresh(staff)
        db.session.expunge(staff)
    client = login(staff)
    assert department_value(client.get(f"/staff/proposals/{ids[0]}/answer").text) == name
    assert department_value(client.get(f"/staff/proposals/{ids[1]}/answer").text) == ""
    sent = client.post(f"/staff/proposals/{ids[0]}/answer", data={
        "status": "under_review", "body": "検討しています。", "department": name,
        "answered_on": "2026-06-01"})
    assert sent.status_code == 302
    with app.app_context():
        draft = db.session.get(ProposalAnswerDraft, ids[0])
        assert draft.department == name  # the stored answer keeps its text column


def department_value(html: str) -> str:
    tag = re.search(r'<input[^>]*id="department"[^>]*>', html).group(0)
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


def test_the_demo_routes_proposals_some_overdue_with_a_note(ctx):
    from komoro_engage.proposals.demo import load_demo
    from komoro_engage.proposals.lifecycle.demo import STAFF_NICKNAME, load_staff_demo
    from komoro_engage.staff.demo import load_handling_demo
    from komoro_engage.staff.handling_models import InternalNote

    load_demo(150, seed=5)
    load_staff_demo(5)
    totals = load_handling_demo(5)
    assert totals["assignments"] and totals["internal notes"] == 1
    from komoro_engage.accounts.models import User

    staff = db.session.scalar(select(User).where(User.nickname == STAFF_NICKNAME))
    counts = queries.queue_counts(user_id=staff.id)
    assert counts["mine"] >= counts["mine_overdue"] >= 1
    assert db.session.scalar(select(InternalNote.body)) is not None
    assert load_handling_demo(5) == {}  # once only


def test_the_admin_user_page_links_a_staff_members_departments(app, login):
    admin, _staff, (_admin_id, staff_id) = _admin_world(app)
    page = login(admin).get(f"/admin/users/{staff_id}").text
    assert f"/admin/users/{staff_id}/departments" in page
