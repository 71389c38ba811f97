"""Casting a ballot: the rules of each ballot kind, one ballot per person (changeable while
the vote is open), the running total without JavaScript, field errors keeping choices."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.services import age_band_on
from komoro_engage.budgeting import ballots
from komoro_engage.budgeting.models import Ballot, BallotChoice, Phase
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from tests.budgeting.helpers import make_process
from tests.factories import make_user


def _ids(process):
    return [p.id for p in process.projects]


def test_approval_ballot_is_kept_once_and_can_be_changed(ctx):
    process = make_process(max_approvals=2)
    voter = make_user()
    first, second, third = _ids(process)[:3]
    ballots.cast_ballot(voter, process, {first: 1, second: 1})
    ballots.cast_ballot(voter, process, {third: 1})
    rows = db.session.scalars(select(Ballot).where(Ballot.process_id == process.id)).all()
    assert len(rows) == 1
    assert [c.project_id for c in rows[0].choices] == [third]


def test_approval_maximum_and_empty_ballot_are_refused(ctx):
    process = make_process(max_approvals=2)
    voter = make_user()
    with pytest.raises(ballots.BallotRefused) as refused:
        ballots.cast_ballot(voter, process, dict.fromkeys(_ids(process)[:3], 1))
    assert "2件まで" in refused.value.errors[None]
    with pytest.raises(ballots.BallotRefused):
        ballots.cast_ballot(voter, process, {})


def test_knapsack_total_must_fit_the_budget(ctx):
    process = make_process(kind="knapsack", total=2_500_000)
    voter = make_user()
    with pytest.raises(ballots.BallotRefused) as refused:
        ballots.cast_ballot(voter, process, dict.fromkeys(_ids(process)[:3], 1))
    assert "超えています" in refused.value.errors[None]
    ballots.cast_ballot(voter, process, dict.fromkeys(_ids(process)[:2], 1))


def test_points_must_stay_within_the_total(ctx):
    process = make_process(kind="points", points_total=10)
    voter = make_user()
    a, b = _ids(process)[:2]
    with pytest.raises(ballots.BallotRefused):
        ballots.cast_ballot(voter, process, {a: 6, b: 5})
    ballot = db.session.get(Ballot, ballots.cast_ballot(voter, process, {a: 6, b: 4}))
    assert sorted(c.points for c in ballot.choices) == [4, 6]
    # Changed: one choice kept as it was, one with new points, one dropped, one new.
    c, d = _ids(process)[2:4]
    ballots.cast_ballot(voter, process, {a: 6, c: 1, d: 2})
    db.session.expire(ballot, ["choices"])
    assert {x.project_id: x.points for x in ballot.choices} == {a: 6, c: 1, d: 2}
    ballots.cast_ballot(voter, process, {a: 2, d: 2})
    db.session.expire(ballot, ["choices"])
    assert {x.project_id: x.points for x in ballot.choices} == {a: 2, d: 2}


def _paper(name="小諸 花子", born=date(1960, 4, 1), district=None, account=None):
    return ballots.PaperVoter(name, born, district, account)


def test_paper_ballots_are_marked_audited_and_a_slip_counts_once(ctx):
    process = make_process()
    staff = make_user(role="staff")
    first = _ids(process)[0]
    ballot = ballots.enter_paper_ballot(staff, process, "A-001", _paper(), {first: 1})
    assert ballot.is_paper and ballot.user_id is None
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "budget.paper_ballot_entered")).target_id == ballot.id
    with pytest.raises(ballots.BallotRefused) as refused:
        ballots.enter_paper_ballot(staff, process, "A-001", _paper("別の 人"), {first: 1})
    assert "この番号の投票用紙" in refused.value.errors[None]


def test_a_second_slip_of_the_same_person_is_refused_however_the_name_is_typed(ctx):
    process, other = make_process(), make_process()
    staff = make_user(role="staff")
    first = _ids(process)[0]
    ballot = ballots.enter_paper_ballot(staff, process, "A-001", _paper(), {first: 1})
    with pytest.raises(ballots.BallotRefused) as refused:  # full-width space, no space
        ballots.enter_paper_ballot(staff, process, "B-001", _paper("小諸　花子"), {first: 1})
    assert "同じ氏名と生年月日" in refused.value.errors[None]
    with pytest.raises(ballots.BallotRefused):
        ballots.enter_paper_ballot(staff, process, "B-002", _paper("小諸花子"), {first: 1})
    # Someone else of the same name (another birthday) votes; so does she in another process.
    ballots.enter_paper_ballot(staff, process, "B-003", _paper(born=date(1961, 4, 1)),
                               {first: 1})
    ballots.enter_paper_ballot(staff, other, "A-001", _paper(), {_ids(other)[0]: 1})
    # Only a keyed hash is kept: no column holds the name or the birth date.
    assert len(ballot.voter_key) == 64 and "花子" not in ballot.voter_key
    assert ballot.age_band == "60s"


def test_paper_and_web_ballots_of_one_person_never_both_count(ctx):
    process = make_process()
    staff, web_voter, paper_voter = make_user(role="staff"), make_user(), make_user()
    first = _ids(process)[0]
    ballots.cast_ballot(web_voter, process, {first: 1})
    with pytest.raises(ballots.BallotRefused) as refused:
        ballots.enter_paper_ballot(staff, process, "A-001", _paper(account=web_voter),
                                   {first: 1})
    assert "ウェブで投票済み" in refused.value.errors[None]
    ballots.enter_paper_ballot(staff, process, "A-002", _paper(account=paper_voter),
                               {first: 1})
    with pytest.raises(ballots.BallotRefused) as refused:
        ballots.cast_ballot(paper_voter, process, {first: 1})
    assert "投票用紙で投票済み" in refused.value.errors[None]
    assert db.session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.process_id == process.id)) == 2


def test_paper_voters_meet_the_same_eligibility_as_web_voters(ctx):
    process = make_process(min_age_band="18_29")
    staff = make_user(role="staff")
    first = _ids(process)[0]
    today = date.today()
    child = _paper(born=date(today.year - 12, 1, 1))
    with pytest.raises(ballots.BallotRefused) as refused:
        ballots.enter_paper_ballot(staff, process, "A-001", child, {first: 1})
    assert "年齢" in refused.value.errors[None]
    ballots.enter_paper_ballot(staff, process, "A-002", _paper(), {first: 1})


@pytest.mark.parametrize(("born", "band"), [
    (date(2008, 12, 5), "under_18"), (date(2008, 12, 4), "18_29"), (date(1997, 1, 1), "18_29"),
    (date(1996, 12, 4), "30s"), (date(1957, 1, 1), "60s"), (date(1956, 12, 4), "70_plus"),
    (date(1920, 1, 1), "70_plus")])
def test_age_band_from_a_birth_date(born, band):
    assert age_band_on(born, date(2026, 12, 4)) == band


def _process_and_voter(app, **fields):
    with app.app_context():
        process = make_process(**fields)
        voter = make_user()
        ids = [p.id for p in process.projects]
        db.session.commit()
        return process.id, ids, voter


def test_vote_without_javascript_preview_total_then_submit(app, login):
    process_id, ids, voter = _process_and_voter(app, max_approvals=2)
    client = login(voter)
    url = f"/budgets/{process_id}/vote"
    assert client.get(url).status_code == 200
    preview = client.post(url, data={"project": [str(ids[0]), str(ids[1])],
                                     "action": "preview"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "2,000,000円" in page
    assert page.count("checked") == 2
    too_many = client.post(url, data={"action": "vote",
                                      "project": [str(i) for i in ids[:3]]})
    page = too_many.get_data(as_text=True)
    assert too_many.status_code == 422 and "2件まで" in page and page.count("checked") == 3
    done = client.post(url, data={"action": "vote", "project": [str(ids[0])]})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BallotChoice)) == 1


def test_points_field_error_keeps_what_was_typed(app, login):
    process_id, ids, voter = _process_and_voter(app, kind="points", points_total=10)
    client = login(voter)
    url = f"/budgets/{process_id}/vote"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"action": "vote",
                                      f"points-{ids[0]}": "３", f"points-{ids[1]}": "4"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="points-{ids[0]}-error"' in page and 'value="4"' in page


def test_the_vote_is_closed_outside_the_voting_phase_and_for_the_ineligible(app, login):
    with app.app_context():
        closed = make_process(phase=Phase.REVIEW).id
        adults = make_process(min_age_band="18_29").id
        young = make_user(age_band="under_18")
        db.session.commit()
    client = login(young)
    assert client.get(f"/budgets/{closed}/vote").status_code == 403
    assert client.get(f"/budgets/{adults}/vote").status_code == 403
    assert "投票できる年代ではありません" in client.get(f"/budgets/{adults}").get_data(as_text=True)


def test_ballots_are_in_the_personal_data_download(app, login):
    process_id, ids, voter = _process_and_voter(app)
    client = login(voter)
    client.post(f"/budgets/{process_id}/vote", data={"action": "vote", "project": str(ids[1])})
    data = client.get("/account/data.json").get_json()
    assert data["budget_ballots"][0]["choices"] == [{"project_id": ids[1], "points": 1}]


def test_the_vote_closes_at_the_end_of_its_last_day_in_japan(ctx):
    from datetime import UTC, date, datetime

    from komoro_engage.budgeting.permissions import voting_open
    from komoro_engage.core import clock

    process = make_process(voting_until=date(2026, 9, 30))
    with clock.freeze(datetime(2026, 9, 30, 14, 59, tzinfo=UTC)):  # 23:59 in Japan
        assert voting_open(process)
    with clock.freeze(datetime(2026, 9, 30, 15, 0, tzinfo=UTC)):  # 1 October in Japan
        assert not voting_open(process)
