"""A proposal's or project's plan links come with the page's own statement, as ids named
from the plan's rows kept in memory until the plan changes (plan/menus.py PlanLinks,
issue 16): no statement of their own on a read, the same links in plan order on a
request that writes, and a renamed measure shows at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.projects.queries import plan_links
from komoro_engage.projects.reader import project_page
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.plan_menus import links
from komoro_engage.proposals.reader import proposal_page
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import area, make_proposal


@pytest.fixture
def world(app):
    """A proposal and a project linked to areas 3 and 1 and to two measures: a new one
    that comes first in the plan (its id last) and the plan's first; the proposal to a
    third measure staff took back."""
    with app.app_context():
        first, taken_back = db.session.scalars(select(Measure).order_by(Measure.sort_key)
                                               .limit(2))
        new = Measure(edition_id=first.edition_id, policy_area_id=first.policy_area_id,
                      code="0-1", sort_key="00-01", title="計画の最初に来る施策")
        db.session.add(new)
        db.session.flush()
        measures = [new, first, taken_back]
        proposal = make_proposal(areas=(3, 1))
        db.session.add_all([
            ProposalMeasureLink(proposal_id=proposal.id, measure_id=measures[1].id,
                                fiscal_year=2026),
            ProposalMeasureLink(proposal_id=proposal.id, measure_id=measures[0].id,
                                fiscal_year=2026),
            ProposalMeasureLink(proposal_id=proposal.id, measure_id=measures[2].id,
                                fiscal_year=2026, unlinked_at=clock.now())])
        project = make_project(make_user(), measure_ids=[measures[1].id, measures[0].id])
        project.policy_areas = [area(3), area(1)]
        reader = make_user()
        db.session.commit()
        return {"proposal": proposal.id, "project": project.id, "reader": reader,
                "measures": [(m.id, m.code, m.title) for m in measures],
                "areas": [area(1).id, area(3).id]}


def _links_statements(statements: list[str]) -> list[str]:
    """Statements that read plan links by themselves (not the page's own statement)."""
    return [s for s in statements if "links_areas" in s
            and not s.lstrip().startswith(("SELECT proposal.id", "SELECT project.id"))]


@pytest.mark.parametrize("kind", ["proposals", "projects"])
def test_the_page_reads_its_plan_links_with_its_subject(app, login, client, world,
                                                        count_queries, kind):
    path = f"/{kind}/{world[kind[:-1]]}"
    first, second, _taken_back = world["measures"]
    for reader in (login(world["reader"]), client):
        page = reader.get(path).text  # the plan's names are read once, then kept
        count_queries.of_get(reader, path)
        assert _links_statements(count_queries.statements) == []
        # Nor the plan's names (read once, above), as the old UNION of links did.
        assert not any("AS kind, policy_area.id" in s for s in count_queries.statements)
        # In plan order, whatever order they were linked in; not the measure taken back.
        assert page.index(f"?area={world['areas'][0]}") < page.index(
            f"?area={world['areas'][1]}")
        assert page.index(f">{first[1]} {first[2]}</a>") < page.index(
            f">{second[1]} {second[2]}</a>")
        assert _taken_back[2] not in page.split("<dl")[1].split("</dl>")[0]


def test_a_renamed_measure_shows_at_once(app, login, world):
    """The kept names go with the plan's version: a plan edit commits a new one."""
    reader = login(world["reader"])
    path = f"/projects/{world['project']}"
    measure_id, code, _title = world["measures"][0]
    assert reader.get(path).status_code == 200  # the names are kept now
    with app.app_context():
        db.session.get(Measure, measure_id).title = "名前を変えた施策"
        db.session.commit()
    assert f">{code} 名前を変えた施策</a>" in reader.get(path).text


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_request_that_writes_asks_for_the_same_links(app, world, count_queries, method):
    """A POST loads its subject without them and asks one statement: the same links."""
    for path, load, read in ((f"/proposals/{world['proposal']}", proposal_page, links),
                             (f"/projects/{world['project']}", project_page, plan_links)):
        subject_id = int(path.rsplit("/", 1)[1])
        with app.test_request_context(path, method=method):
            subject = load(subject_id)
            count_queries.reset()
            found = read(subject)
            assert len(_links_statements(count_queries.statements)) == (
                1 if method == "POST" else 0)
        assert [c.id for c in found["areas"]] == world["areas"]
        assert [c.id for c in found["measures"]] == [m[0] for m in world["measures"][:2]]
        assert found["items"] == []


def test_a_link_to_a_plan_row_newer_than_the_kept_names_is_named(app, world):
    """The names are kept under the plan's version read at the start of the request: a
    measure committed after it (and linked) is read afresh, not left out."""
    from komoro_engage.plan.menus import _named

    with app.test_request_context("/"):
        project = project_page(world["project"])
        kept = plan_links(project)  # the names are kept now
        newer = Measure(edition_id=1, policy_area_id=area(1).id, code="9-9", sort_key="99-99",
                        title="あとから加わった施策")
        db.session.add(newer)
        db.session.flush()
        row = db.session.execute(select(*plan_links_columns(project.id, newer.id))).one()
        names = [choice.label for choice in _named(row)["measures"]]
    assert [c.id for c in kept["measures"]] == [m[0] for m in world["measures"][:2]]
    assert names[-1] == "あとから加わった施策" and len(names) == 3


def plan_links_columns(project_id: int, newer_id: int):
    """The three id columns as the project's statement gives them, with ``newer_id`` too."""
    from sqlalchemy import literal

    from komoro_engage.projects.queries import PLAN_LINKS

    areas, items, measures = PLAN_LINKS.columns(project_id)
    return (areas, items,
            (measures.element.op("||")(literal(f",{newer_id}"))).label("links_measures"))
