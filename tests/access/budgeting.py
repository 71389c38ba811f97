"""Access entries of 市民予算.

``build`` makes a process open for voting (anyone signed in may vote), one still in
案の募集 to edit, and one whose result is computed and published. POSTs send valid forms,
so a success shows as the redirect that follows it.
"""

from komoro_engage.accounts.models import User
from komoro_engage.budgeting import ballots, results
from komoro_engage.budgeting.models import Phase
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from tests.access import Access, World, everyone, signed_in, staff_only
from tests.budgeting.helpers import make_process
from tests.factories import make_user


def build(world: World) -> None:
    voting = make_process(phase=Phase.VOTING)
    ideas = make_process(phase=Phase.IDEAS)
    done = make_process(phase=Phase.RESULTS)
    voters = [make_user() for _ in range(3)]
    ballots.cast_ballot(db.session.get(User, world.users["resident_a"]), done,
                        {done.projects[0].id: 1})
    for voter in voters:
        ballots.cast_ballot(voter, done, {done.projects[1].id: 1})
    staff = db.session.get(User, world.users["staff"])
    results.publish_results(staff, done, results.compute_results(staff, done))
    world.extra.update(budget_voting=voting.id, budget_ideas=ideas.id, budget_done=done.id,
                       budget_project=voting.projects[0].id,
                       budget_district=db.session.query(District.id).first()[0])


def voting(world):
    return {"process_id": world.extra["budget_voting"]}


def ideas(world):
    return {"process_id": world.extra["budget_ideas"]}


def done(world):
    return {"process_id": world.extra["budget_done"]}


def process_form(world):
    return {"title": "市民予算 2028", "description": "", "total_amount": "5000000",
            "ballot_kind": "approval", "rule": "mes", "min_age_band": ""}


def project_form(world):
    return {"title": "公園のベンチ", "cost": "300000", "source": "staff",
            "feasibility": "feasible", "district_id": ""}


ENTRIES = [
    Access("api.budgets", "GET", everyone(200)),
    Access("api.budget_results", "GET", everyone(200), args=done),
    Access("budgeting.index", "GET", everyone(200)),
    Access("budgeting.detail", "GET", everyone(200), args=voting),
    Access("budgeting.vote", "GET", signed_in(200), args=voting),
    Access("budgeting.vote", "POST", signed_in(302), args=voting,
           data=lambda world: {"project": [str(world.extra["budget_project"])],
                               "action": "vote"}),
    Access("budgeting.results_page", "GET", everyone(200), args=done),
    Access("budgeting.pabulib_file", "GET", everyone(200), args=done),
    Access("budgeting.my_vote", "GET", signed_in(200), args=done),
    Access("budgeting.new_process", "GET", staff_only(200)),
    Access("budgeting.new_process", "POST", staff_only(302), data=process_form),
    Access("budgeting.manage", "GET", staff_only(200), args=voting),
    Access("budgeting.edit_process", "GET", staff_only(200), args=ideas),
    Access("budgeting.edit_process", "POST", staff_only(302), args=ideas, data=process_form),
    Access("budgeting.set_district", "POST", staff_only(302), args=ideas,
           data=lambda world: {"district_id": str(world.extra["budget_district"]),
                               "amount": "1000000"}),
    Access("budgeting.set_phase", "POST", staff_only(302), args=ideas,
           data={"phase": "review"}),
    Access("budgeting.new_project", "GET", staff_only(200), args=ideas),
    Access("budgeting.new_project", "POST", staff_only(302), args=ideas, data=project_form),
    Access("budgeting.edit_project", "GET", staff_only(200),
           args=lambda world: {"project_id": world.extra["budget_project"]}),
    Access("budgeting.edit_project", "POST", staff_only(302),
           args=lambda world: {"project_id": world.extra["budget_project"]}, data=project_form),
    Access("budgeting.paper_ballot", "GET", staff_only(200), args=voting),
    Access("budgeting.paper_ballot", "POST", staff_only(302), args=voting,
           data=lambda world: {"paper_ref": "公民館-001", "district_id": "",
                               "voter_name": "表の投票者", "birth_date": "1960-04-01",
                               "project": [str(world.extra["budget_project"])],
                               "action": "enter"}),
    Access("budgeting.compute", "POST", staff_only(302), args=done),
    Access("budgeting.publish", "POST", staff_only(302), args=done),
]
