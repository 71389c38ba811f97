"""Routing proposals to departments (担当課) and internal notes, issue 22 point 1.

Services without HTTP (assign, reassign keeps history, the due date defaults to the
answer deadline, audit entries, a note's audit without its text), then the staff's
handling page as plain forms, and the places a note must never reach.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department, set_memberships
from komoro_engage.proposals.lifecycle.models import ProposalAnswer, ProposalStatusChange
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.staff import handling
from komoro_engage.staff.handling_models import InternalNote, ProposalAssignment
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal

NOTE = "区長さんから電話あり。来週再度連絡する予定（内部メモ）"
DEADLINE = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)


def departments(n: int = 2) -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.active)
                                   .order_by(Department.sort_order).limit(n)))


def under_review(deadline=DEADLINE, **fields):
    proposal = make_proposal(status=ProposalStatus.UNDER_REVIEW, **fields)
    db.session.add(ProposalAnswer(proposal_id=proposal.id, deadline_at=deadline,
                                  review_started_at=deadline - timedelta(days=30)))
    db.session.flush()
    return proposal


def audits(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def staff(ctx):
    return make_user(role=Role.STAFF, nickname="担当する職員")


def test_assignment_defaults_its_due_date_to_the_answer_deadline(staff):
    proposal = under_review()
    first = departments(1)[0]
    assignment = handling.assign_proposal(staff, proposal, first)
    assert assignment.is_current and assignment.department_id == first.id
    assert assignment.due_at.replace(tzinfo=UTC) == DEADLINE
    [entry] = audits("proposal.assigned")
    assert entry.target_id == proposal.id and entry.after["department"] == first.name
    steps = db.session.scalars(select(ProposalStatusChange.action).where(
        ProposalStatusChange.proposal_id == proposal.id,
        ProposalStatusChange.staff_only.is_(True))).all()
    assert steps == ["assigned"]


def test_reassignment_keeps_the_history_and_one_current_row(staff):
    proposal = under_review()
    first, second = departments(2)
    set_memberships(staff, staff, {second.id})
    handling.assign_proposal(staff, proposal, first)
    due = datetime(2026, 8, 1, tzinfo=UTC)
    handling.assign_proposal(staff, proposal, second, staff, due, "所管が違うため")
    db.session.expire_all()
    history = handling.assignment_history(proposal.id)
    assert [row.department_id for row in history] == [second.id, first.id]
    assert [row.is_current for row in history] == [True, False]
    current = handling.current_assignment(proposal.id)
    assert current.assignee_id == staff.id and current.due_at.replace(tzinfo=UTC) == due
    [entry] = audits("proposal.reassigned")
    assert entry.before["department"] == first.name and entry.after["department"] == second.name
    assert entry.reason == "所管が違うため"


def test_an_assignee_must_belong_to_the_department_and_drafts_are_not_routed(staff):
    first = departments(1)[0]
    with pytest.raises(handling.HandlingError):
        handling.assign_proposal(staff, under_review(), first, staff)  # not a member
    with pytest.raises(handling.HandlingError):
        handling.assign_proposal(staff, make_proposal(status=ProposalStatus.PENDING), first)
    first.active = False
    with pytest.raises(handling.HandlingError):
        handling.assign_proposal(staff, under_review(), first)


def test_a_note_is_audited_without_its_text(staff):
    proposal = under_review()
    note = handling.add_note(staff, proposal, NOTE)
    project = make_project()
    handling.add_note(staff, project, "プロジェクトの内部メモ")
    [entry] = audits("proposal.note_added")
    assert entry.after == {"note_id": note.id, "length": len(NOTE)}
    assert NOTE not in str(entry.after) + entry.reason + str(entry.before)
    assert [n.body for n in handling.notes_of(proposal)] == [NOTE]
    assert [n.body for n in handling.notes_of(project)] == ["プロジェクトの内部メモ"]
    with pytest.raises(handling.HandlingError):
        handling.add_note(make_user(), proposal, "住民は書けない")
    with pytest.raises(handling.HandlingError):
        handling.add_note(staff, proposal, "長" * 2001)


def _world(app):
    with app.app_context():
        staff = make_user(role=Role.STAFF, nickname="窓口の職員")
        resident = make_user(nickname="住民さん")
        proposal = under_review(title="図書館の開館時間を延ばす提案")
        first, second = departments(2)
        set_memberships(staff, staff, {first.id})
        db.session.commit()
        ids = proposal.id, first.id, second.id
        for person in (staff, resident):
            db.session.refresh(person)
            db.session.expunge(person)
        return staff, resident, *ids


def test_handling_page_assigns_and_notes_without_javascript(app, login):
    staff, _resident, proposal_id, first_id, second_id = _world(app)
    client = login(staff)
    url = f"/staff/proposals/{proposal_id}/handling"
    page = client.get(url)
    assert page.status_code == 200 and "まだ担当課に割り当てられていません" in page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    sent = client.post(f"/staff/proposals/{proposal_id}/assign",
                       data={"department": str(first_id), "assignee": str(staff.id),
                             "due_on": "", "reason": ""})
    assert sent.status_code == 302 and sent.location.endswith(url)
    client.post(f"/staff/proposals/{proposal_id}/assign",
                data={"department": str(second_id), "assignee": "", "due_on": "2026-09-30",
                      "reason": "引き継ぎ"})
    sent = client.post(f"/staff/proposals/{proposal_id}/notes", data={"body": NOTE})
    assert sent.status_code == 302
    page = client.get(url).text
    assert NOTE in page and "引き継ぎ" in page and "割り当ての経過" in page
    with app.app_context():
        rows = db.session.scalars(select(ProposalAssignment).where(
            ProposalAssignment.proposal_id == proposal_id)).all()
        assert sorted(row.is_current for row in rows) == [False, True]
        current = handling.current_assignment(proposal_id)
        assert current.department_id == second_id
        assert current.due_at.replace(tzinfo=UTC) == datetime(2026, 9, 30, 14, 59, 59,
                                                               tzinfo=UTC)
    # The staff's timeline on the proposal's page says it was routed, not where.
    detail = client.get(f"/proposals/{proposal_id}").text
    assert "担当課を変更" in detail and "対応（担当課・内部メモ）" in detail


def test_refused_forms_keep_what_was_typed_with_field_errors(app, login):
    staff, _resident, proposal_id, first_id, second_id = _world(app)
    client = login(staff)
    # The assignee belongs to the first department, not the second.
    bad = client.post(f"/staff/proposals/{proposal_id}/assign",
                      data={"department": str(second_id), "assignee": str(staff.id),
                            "reason": "書いた理由"})
    assert bad.status_code == 422 and "選んだ担当課の職員から選んでください" in bad.text
    assert "書いた理由" in bad.text
    bad = client.post(f"/staff/proposals/{proposal_id}/assign", data={"department": "999999"})
    assert bad.status_code == 422 and "一覧にある担当課を選んでください" in bad.text
    bad = client.post(f"/staff/proposals/{proposal_id}/notes", data={"body": "長" * 2001})
    assert bad.status_code == 422 and "2,000文字以内" in bad.text
    with app.app_context():
        assert db.session.scalar(select(InternalNote.id)) is None


def test_residents_and_visitors_never_open_the_handling_page(app, login):
    _staff, resident, proposal_id, first_id, _second = _world(app)
    url = f"/staff/proposals/{proposal_id}/handling"
    assert login(resident).get(url).status_code == 403
    assert login(resident).post(f"/staff/proposals/{proposal_id}/notes",
                                data={"body": NOTE}).status_code == 403
    visitor = app.test_client().get(url)
    assert visitor.status_code == 302 and visitor.location.startswith("/login")


def test_a_note_reaches_no_public_page_api_export_or_cached_page(app, login, monkeypatch):
    from komoro_engage.core.page_cache import EXTENSION, PageCache

    cache = PageCache(60, 1024 * 1024)
    monkeypatch.setitem(app.extensions, EXTENSION, cache)
    staff, _resident, proposal_id, first_id, _second = _world(app)
    with app.app_context():
        admin = make_user(role=Role.ADMIN)
        db.session.commit()
    visitor = app.test_client()
    public = [f"/proposals/{proposal_id}", f"/api/v1/proposals/{proposal_id}",
              "/api/v1/proposals", "/proposals", "/proposals?q=図書館"]
    for path in public:  # fills the page cache before the note exists
        assert visitor.get(path).status_code == 200
    staff_client = login(staff)
    staff_client.post(f"/staff/proposals/{proposal_id}/notes", data={"body": NOTE})
    staff_client.post(f"/staff/proposals/{proposal_id}/assign",
                      data={"department": str(first_id)})
    assert NOTE in staff_client.get(f"/staff/proposals/{proposal_id}/handling").text
    for path in public:
        body = visitor.get(path).get_data(as_text=True)
        assert NOTE not in body, path
    # Staff's own view of the public page, the exports and the audit log's CSV.
    assert NOTE not in staff_client.get(f"/proposals/{proposal_id}").text
    for path in ("/staff/evaluation/export/records.csv", "/staff/evaluation/export/items.csv",
                 "/staff/evaluation/export/indicators.csv"):
        response = staff_client.get(path)
        assert response.status_code == 200 and NOTE not in response.get_data(as_text=True)
    book = load_workbook(io.BytesIO(staff_client.get("/staff/evaluation/export.xlsx").data))
    cells = [str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
             for cell in row if cell is not None]
    assert cells and not [cell for cell in cells if NOTE in cell]
    audit_csv = login(admin).get("/admin/audit.csv")
    assert "proposal.note_added" in audit_csv.text and NOTE not in audit_csv.text


def test_a_deleted_account_leaves_its_departments_and_its_notes_stay(staff):
    from komoro_engage.accounts.erasure import delete_account
    from komoro_engage.plan.departments import departments_of

    first = departments(1)[0]
    set_memberships(None, staff, {first.id})
    note = handling.add_note(staff, under_review(), NOTE)
    delete_account(staff, remove_posts=True)
    assert departments_of(staff.id) == []
    assert db.session.get(InternalNote, note.id).body == NOTE


def test_project_notes_are_linked_for_staff_only(app, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        project_id = make_project().id
        db.session.commit()
        db.session.refresh(staff)
        db.session.expunge(staff)
    client = login(staff)
    notes_url = f"/staff/projects/{project_id}/notes"
    assert notes_url in client.get(f"/projects/{project_id}").text
    assert notes_url not in app.test_client().get(f"/projects/{project_id}").text
    assert client.post(notes_url, data={"body": NOTE}).status_code == 302
    assert NOTE in client.get(notes_url).text
    assert NOTE not in app.test_client().get(f"/projects/{project_id}").text
    bad = client.post(notes_url, data={"body": ""})
    assert bad.status_code == 422 and "メモを入力してください" in bad.text


def test_an_erased_author_is_scrubbed_from_notes_that_quote_them(staff):
    from komoro_engage.accounts.erasure import DELETED_NICKNAME, delete_account
    from komoro_engage.proposals.models import Proposal

    author = make_user(nickname="消える投稿者", email="kieru@example.jp")
    proposal = under_review(author=author, title="消える投稿者の提案の題")
    handling.assign_proposal(staff, proposal, departments(1)[0],
                             reason="消える投稿者さんから電話あり")
    note = handling.add_note(staff, proposal,
                             "kieru@example.jp に返信する。題は「消える投稿者の提案の題」")
    delete_account(author, remove_posts=True)
    db.session.flush()
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id) is not None  # kept, emptied, withdrawn
    body = db.session.get(InternalNote, note.id).body
    assert "kieru@example.jp" not in body and "消える投稿者の提案の題" not in body
    reason = handling.current_assignment(proposal.id).reason
    assert "消える投稿者さん" not in reason and DELETED_NICKNAME in reason
