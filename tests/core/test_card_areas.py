"""The list cards' policy areas and the list's total ride on the page's own statement
(issue 16): each card's area ids as a column, named from the plan kept in memory, and
the count as an uncorrelated subquery."""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.core.listing import area_ids_column, area_names, card_areas
from komoro_engage.extensions import db
from komoro_engage.plan.models import PolicyArea
from komoro_engage.projects.models import Project, project_policy_area
from komoro_engage.proposals.models import Proposal, proposal_policy_area
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import area, make_proposal


def _names(model, link_table, column, ids):
    rows = db.session.execute(
        select(model.id, area_ids_column(link_table, column, model.id))
        .where(model.id.in_(ids))).all()
    names = area_names(PolicyArea)
    return {row.id: [named.name for named in card_areas(row.area_ids, names)] for row in rows}


def test_each_card_reads_its_own_areas_in_plan_order(ctx):
    first = make_proposal(areas=(3, 1))
    second = make_proposal(areas=(2,))
    none = make_proposal(areas=())
    project = make_project()  # linked to area 1 (tests/projects/helpers.py)

    ids = [first.id, second.id, none.id]
    assert _names(Proposal, proposal_policy_area, "proposal_id", ids) == {
        first.id: [area(1).name, area(3).name],  # in plan order
        second.id: [area(2).name], none.id: []}
    assert _names(Project, project_policy_area, "project_id", [project.id]) == {
        project.id: [area(1).name]}


def test_a_renamed_area_shows_on_the_next_list(app, login):
    with app.app_context():
        proposal = make_proposal(title="分野の名前が変わる提案", areas=(2,))
        db.session.commit()
        proposal_id = proposal.id
        client = login(make_user())  # a rendered page, not a visitor's kept one
    assert area_name_on_list(client, proposal_id) == area_name(app, 2)
    with app.app_context():
        db.session.get(PolicyArea, area(2).id).name = "新しい分野の名前"
        db.session.commit()
    assert area_name_on_list(client, proposal_id) == "新しい分野の名前"


def area_name(app, number: int) -> str:
    with app.app_context():
        return area(number).name


def area_name_on_list(client, proposal_id: int) -> str:
    html = client.get("/proposals?sort=new").get_data(as_text=True)
    card = html[html.index(f'href="/proposals/{proposal_id}"'):]
    card = card[:card.index("</li>")]
    start = card.index('<span class="tag">') + len('<span class="tag">')
    return card[start:card.index("</span>", start)]
