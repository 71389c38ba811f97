"""市民予算 pages run the same number of SQL statements whatever the number of projects,
ballots and sub-budgets."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from komoro_engage.budgeting import ballots, results
from komoro_engage.budgeting.models import DistrictBudget, Phase
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from tests.budgeting.helpers import make_process
from tests.factories import make_user


def grow(app, projects: int, voters: int, districts: int) -> dict:
    with app.app_context():
        process = make_process(phase=Phase.RESULTS, total=100_000_000,
                               projects=(1_000_000,) * projects)
        for district in db.session.scalars(select(District).limit(districts)):
            process.district_budgets.append(DistrictBudget(district_id=district.id,
                                                           amount=1_000_000))
        ids = [p.id for p in process.projects]
        people = [make_user(age_band="40s") for _ in range(voters)]
        for n, person in enumerate(people):
            ballots.cast_ballot(person, process, {ids[n % len(ids)]: 1, ids[0]: 1})
        staff = make_user(role="staff")
        results.publish_results(staff, process, results.compute_results(staff, process))
        db.session.commit()
        return {"process": process.id, "voter": people[0], "staff": staff}


PAGES = ["/budgets", "/budgets/{process}", "/budgets/{process}/results",
         "/budgets/{process}/my-vote", "/staff/budgets/{process}"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_do_not_grow(app, login, count_queries, page):
    small = grow(app, projects=2, voters=2, districts=1)
    large = grow(app, projects=12, voters=30, districts=3)
    person = "staff" if page.startswith("/staff") else "voter"
    before = count_queries.of_get(login(small[person]), page.format(**small))
    after = count_queries.of_get(login(large[person]), page.format(**large))
    assert before == after, count_queries.statements
    assert after <= 12, count_queries.statements


def test_ballot_page_does_not_grow(app, login, count_queries):
    counts = []
    for size in (2, 15):
        with app.app_context():
            process = make_process(projects=(100_000,) * size)
            voter = make_user()
            ballots.cast_ballot(voter, process, {process.projects[0].id: 1})
            db.session.commit()
            process_id = process.id
        counts.append(count_queries.of_get(login(voter), f"/budgets/{process_id}/vote"))
    assert counts[0] == counts[1], count_queries.statements


def test_the_ballot_post_does_not_grow(app, login, count_queries):
    """A new ballot and a changed one run the same statements, whatever the number of
    projects: one write to the ballot (an upsert, not a read and an INSERT or UPDATE),
    its choices replaced by one DELETE and one INSERT."""
    counts = []
    for size in (2, 15):
        with app.app_context():
            process = make_process(projects=(100_000,) * size)
            process_id, ids = process.id, [p.id for p in process.projects]
            voter = make_user()
            db.session.commit()
        client = login(voter)
        for chosen in (ids[:1], ids[-2:]):  # a new ballot, then a changed one
            count_queries.reset()
            response = client.post(f"/budgets/{process_id}/vote",
                                   data={"project": chosen, "action": "vote"})
            assert response.status_code == 302, response.status_code
            counts.append(count_queries.count)
            writes = [sql for sql in count_queries.statements
                      if "budget_ballot" in sql.lower()
                      and not sql.lstrip().upper().startswith("SELECT")]
            assert len(writes) == 3, writes  # the ballot, its choices out, its choices in
    # person; process with its sub-budgets, its projects; the ballot; choices out and in;
    # the public version (a ballot counts in the measures' evaluation figures). Before the
    # upsert and the joined sub-budgets: 9 for a changed ballot (a read, then an UPDATE).
    assert counts == [7] * 4, (counts, count_queries.statements)
