"""/api/v1/budgets and a published result, validated against the OpenAPI document."""

from __future__ import annotations

from komoro_engage.budgeting import results
from komoro_engage.extensions import db
from tests.api.test_api_v1 import document, validate  # noqa: F401  (fixture)
from tests.budgeting.helpers import make_process
from tests.budgeting.test_results import polarised_vote
from tests.factories import make_user


def test_results_are_open_data_once_published(app, client, document):  # noqa: F811
    with app.app_context():
        process, ids, _voters = polarised_vote()
        draft = make_process().id
        staff = make_user(role="staff")
        result_id = results.compute_results(staff, process).id
        db.session.commit()
        process_id = process.id
    assert client.get(f"/api/v1/budgets/{process_id}/results").status_code == 404
    with app.app_context():
        from komoro_engage.budgeting.models import BudgetProcess, BudgetResult
        results.publish_results(db.session.merge(staff), db.session.get(BudgetProcess, process_id),
                                db.session.get(BudgetResult, result_id))
        db.session.commit()
    listing = client.get("/api/v1/budgets").get_json()
    validate(document, "BudgetProcessList", listing)
    by_id = {item["id"]: item for item in listing["items"]}
    assert by_id[draft]["results_url"] is None and by_id[process_id]["results_url"]
    body = client.get(f"/api/v1/budgets/{process_id}/results").get_json()
    validate(document, "BudgetResults", body)
    city = body["budgets"][0]
    assert {p["id"] for p in city["projects"] if p["funded"]} != {
        p["id"] for p in city["projects"] if p["funded_other_rule"]}
    assert body["turnout"]["total"] == 100
    assert client.get("/api/v1/budgets/999999/results").status_code == 404


def test_the_list_of_processes_comes_a_page_at_a_time(app, client, document):  # noqa: F811
    from komoro_engage.budgeting.queries import PER_PAGE

    with app.app_context():
        made = [make_process().id for _ in range(PER_PAGE + 3)]
        db.session.commit()
    first = client.get("/api/v1/budgets").get_json()
    validate(document, "BudgetProcessList", first)
    second = client.get("/api/v1/budgets?page=2").get_json()
    assert (first["total"], first["per_page"], len(first["items"])) == (
        len(made), PER_PAGE, PER_PAGE)
    assert [item["id"] for item in first["items"] + second["items"]] == made[::-1]
    page_two = client.get("/budgets?page=2")
    assert page_two.status_code == 200 and "2 / 2" in page_two.text
