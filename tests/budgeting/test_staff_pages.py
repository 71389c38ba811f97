"""Staff run a process: create it, add and review projects, sub-budgets, phases; the rule
freezes once voting opens; every step is in the audit log."""

from __future__ import annotations

from sqlalchemy import func, select

from komoro_engage.budgeting.models import Ballot, BudgetProcess, BudgetProject, Phase
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.proposals.models import ProposalStatus
from tests.budgeting.helpers import make_process
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

FORM = {"title": "市民予算 2028", "description": "説明", "total_amount": "5000000",
        "ballot_kind": "approval", "rule": "mes", "min_age_band": ""}


def _staff(app):
    with app.app_context():
        staff = make_user(role="staff")
        db.session.commit()
        return staff


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_staff_create_a_process_and_add_a_reviewed_project(app, login):
    client = login(_staff(app))
    created = client.post("/staff/budgets/new", data=FORM)
    assert created.status_code == 302
    with app.app_context():
        process_id = db.session.scalar(select(BudgetProcess.id))
        adopted = make_proposal(status=ProposalStatus.ADOPTED).id
        draft = make_proposal().id
        db.session.commit()
    project = {"title": "図書館の椅子", "cost": "800000", "source": "proposal",
               "source_id": str(draft), "feasibility": "feasible", "district_id": "",
               "department": "文化財・生涯学習課", "department_note": "実施できます"}
    refused = client.post(f"/staff/budgets/{process_id}/projects/new", data=project)
    assert refused.status_code == 422 and "採用された提案はありません" in refused.text
    project["source_id"] = str(adopted)
    assert client.post(f"/staff/budgets/{process_id}/projects/new", data=project
                       ).status_code == 302
    with app.app_context():
        row = db.session.scalar(select(BudgetProject))
        assert (row.source, row.source_id, row.feasibility) == ("proposal", adopted, "feasible")
    assert client.get(f"/budgets/{process_id}").status_code == 200
    assert "実施できます" in client.get(f"/budgets/{process_id}").text
    assert _actions(app)[-2:] == ["budget.process_created", "budget.project_created"]


def test_the_rule_freezes_when_voting_opens(app, login):
    client = login(_staff(app))
    with app.app_context():
        process_id = make_process(phase=Phase.REVIEW).id
        db.session.commit()
    assert client.post(f"/staff/budgets/{process_id}/phase", data={"phase": "voting"}
                       ).status_code == 302
    changed = client.post(f"/staff/budgets/{process_id}/edit",
                          data={**FORM, "total_amount": "3000000", "rule": "greedy"})
    assert changed.status_code == 422 and "変えられません" in changed.text
    kept = client.post(f"/staff/budgets/{process_id}/edit",
                       data={**FORM, "total_amount": "3000000", "title": "新しい題"})
    assert kept.status_code == 302
    with app.app_context():
        assert db.session.get(BudgetProcess, process_id).rule == "mes"
    assert "budget.phase_changed" in _actions(app)


def test_a_district_budget_is_set_and_removed(app, login):
    client = login(_staff(app))
    with app.app_context():
        process_id = make_process().id
        from komoro_engage.plan.models import District
        district_id = db.session.scalar(select(District.id))
        db.session.commit()
    url = f"/staff/budgets/{process_id}/districts"
    assert client.post(url, data={"district_id": district_id, "amount": "500000"}
                       ).status_code == 302
    assert "500,000円" in client.get(f"/budgets/{process_id}").text
    assert client.post(url, data={"district_id": district_id, "amount": "0"}).status_code == 302
    assert "500,000円" not in client.get(f"/budgets/{process_id}").text
    assert client.post(url, data={"district_id": "", "amount": "x"}).status_code == 422


def _paper_form(project_id: int, **fields) -> dict:
    return {"paper_ref": "公民館-001", "voter_name": "小諸 太郎", "birth_date": "1950-05-05",
            "district_id": "", "account_email": "", "project": [str(project_id)],
            "action": "enter", **fields}


def test_paper_entry_previews_without_entering_and_keeps_what_was_typed(app, login):
    client = login(_staff(app))
    with app.app_context():
        process = make_process()
        process_id, project_id = process.id, process.projects[0].id
        db.session.commit()
    url = f"/staff/budgets/{process_id}/paper"
    preview = client.post(url, data=_paper_form(project_id, action="preview"))
    assert preview.status_code == 200 and "1,000,000" in preview.text
    missing = client.post(url, data=_paper_form(project_id, birth_date="",
                                                account_email="nobody@example.jp"))
    assert missing.status_code == 422
    assert "生年月日を入力してください" in missing.text
    assert "このメールアドレスのアカウントはありません" in missing.text
    assert 'value="小諸 太郎"' in missing.text and 'value="公民館-001"' in missing.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
    assert client.post(url, data=_paper_form(project_id)).status_code == 302
    again = client.post(url, data=_paper_form(project_id, paper_ref="公民館-002",
                                              voter_name="小諸　太郎"))
    assert again.status_code == 422 and "同じ氏名と生年月日" in again.text
    with app.app_context():
        ballot = db.session.scalar(select(Ballot))
        assert (ballot.is_paper, ballot.age_band, ballot.paper_ref) == (True, "70_plus",
                                                                        "公民館-001")
    assert _actions(app)[-1] == "budget.paper_ballot_entered"
