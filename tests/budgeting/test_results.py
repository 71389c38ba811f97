"""Computing and publishing results, the results page with its .pb file, the explanation
of each project, and "what did my vote do?"."""

from __future__ import annotations

import pytest
from pabutools.election.pabulib import parse_pabulib_from_string
from sqlalchemy import select

from komoro_engage.budgeting import ballots, results, tally
from komoro_engage.budgeting.models import BallotShare, BudgetProject, DistrictBudget
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from tests.budgeting.helpers import make_process
from tests.factories import make_user


def polarised_vote(rule: str = "mes"):
    """60 voters like projects 1-3, 40 like 4-5; each costs 1,000,000 of 3,000,000."""
    process = make_process(rule=rule)
    ids = [p.id for p in process.projects]
    voters = [make_user(age_band="30s" if n % 2 else "60s") for n in range(100)]
    for n, voter in enumerate(voters):
        ballots.cast_ballot(voter, process, dict.fromkeys(ids[:3] if n < 60 else ids[3:], 1))
    return process, ids, voters


@pytest.fixture
def published(app):
    with app.app_context():
        process, ids, voters = polarised_vote()
        staff = make_user(role="staff")
        result = results.compute_results(staff, process)
        results.publish_results(staff, process, result)
        db.session.commit()
        return {"process": process.id, "ids": ids, "majority": voters[0], "minority": voters[99]}


def test_mes_funds_the_minority_and_greedy_does_not(ctx):
    process, ids, _voters = polarised_vote()
    result = results.compute_results(None, process)
    city = result.data["budgets"][0]
    assert {p["id"] for p in results.winners(city, "greedy")} == set(ids[:3])
    assert set(ids[3:]) & {p["id"] for p in results.winners(city, "mes")}
    shares = db.session.scalars(select(BallotShare)).all()
    assert len(shares) == 100 and all(s.share == pytest.approx(30_000) for s in shares)
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.action == "budget.results_computed"))


def test_the_stored_pb_file_recomputes_to_the_published_winners(ctx):
    process, _ids, _voters = polarised_vote()
    result = results.compute_results(None, process)
    instance, profile = parse_pabulib_from_string(result.pabulib["city"])
    marked = {p.name for p in instance if instance.project_meta[p]["selected"] == "1"}
    assert instance.meta["rule"] == "equalshares/greedy"
    assert tally.outcome(instance, profile, "mes") == marked
    assert marked == {str(p["id"]) for p in results.winners(result.data["budgets"][0], "mes")}


def test_district_sub_budget_counts_only_its_residents(ctx):
    process = make_process(projects=(1_000_000,))
    district, elsewhere = db.session.scalars(select(District).limit(2)).all()
    process.district_budgets.append(DistrictBudget(district_id=district.id, amount=500_000))
    local = BudgetProject(process_id=process.id, title="地区の事業", cost=400_000,
                          district_id=district.id, feasibility="feasible")
    db.session.add(local)
    db.session.flush()
    db.session.expire(process, ["projects"])
    resident, outsider = make_user(district_id=district.id), make_user(district_id=elsewhere.id)
    ballots.cast_ballot(resident, process, {local.id: 1})
    with pytest.raises(ballots.BallotRefused):
        ballots.cast_ballot(outsider, process, {local.id: 1})
    data = results.compute_results(None, process).data
    budget = next(b for b in data["budgets"] if b["key"] == f"d{district.id}")
    assert budget["amount"] == 500_000 and budget["voters"] == 1
    assert results.winners(budget, "mes")[0]["id"] == local.id


def test_results_page_pb_link_and_explanations(client, published):
    assert client.get(f"/budgets/{published['process']}/results").status_code == 200
    page = client.get(f"/budgets/{published['process']}/results").get_data(as_text=True)
    assert "均等割方式" in page and "得票順方式" in page and "results.pb?budget=city" in page
    assert "持ち分" in page
    pb = client.get(f"/budgets/{published['process']}/results.pb?budget=city")
    assert pb.status_code == 200 and "rule;equalshares/greedy" in pb.get_data(as_text=True)
    assert client.get(f"/budgets/{published['process']}/results.pb?budget=d999").status_code == 404


def test_what_did_my_vote_do(login, published):
    page = login(published["minority"]).get(f"/budgets/{published['process']}/my-vote")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "30,000円" in text and "持ち分の使いみち" in text and "事業4" in text
    majority = login(published["majority"]).get(f"/budgets/{published['process']}/my-vote")
    assert "上回りました" in majority.get_data(as_text=True) or "採択" in majority.get_data(
        as_text=True)


def test_unpublished_results_are_staff_only(app, client, login):
    with app.app_context():
        process, _ids, _voters = polarised_vote()
        staff = make_user(role="staff")
        results.compute_results(staff, process)
        db.session.commit()
        process_id = process.id
    assert client.get(f"/budgets/{process_id}/results").status_code == 404
    assert login(staff).get(f"/budgets/{process_id}/results").status_code == 200


def test_turnout_merges_groups_under_ten(ctx):
    process, _ids, _voters = polarised_vote()
    make_user()  # no ballot
    turnout = results.turnout(process)
    assert turnout["total"] == 100
    assert dict(map(tuple, turnout["ages"])) == {"30s": 50, "60s": 50}
    assert turnout["districts"] == [["other", 100]]
