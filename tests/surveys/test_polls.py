"""Quick polls: placed by staff on the home page, a measure's page or a project's page,
answered in place (htmx) or by a plain form, results after answering, once per person."""

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.surveys.models import Answer, Survey, SurveyResponse
from tests.factories import make_user
from tests.projects.helpers import make_project


@pytest.fixture
def world(app):
    with app.app_context():
        staff, resident = make_user(role=Role.STAFF), make_user()
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        project = make_project(make_user())
        db.session.commit()
        return {"staff": staff, "resident": resident, "measure": measure.id,
                "measure_code": measure.code, "project": project.id}


def _place(client, placement, placement_id=None):
    data = {"prompt": "駅前に欲しいものは", "options": "ベンチ\n花壇\n屋根", "placement": placement}
    if placement_id:
        data["placement_id"] = str(placement_id)
    assert client.post("/staff/polls/new", data=data).status_code == 302


def _poll(app):
    with app.app_context():
        poll = db.session.scalars(select(Survey).where(Survey.is_poll.is_(True))
                                  .order_by(Survey.id.desc())).first()
        return poll.id, [o.id for o in poll.sections[0].questions[0].options]


def test_a_home_poll_is_answered_by_a_plain_form_once(app, client, login, world):
    _place(login(world["staff"]), "home")
    poll_id, options = _poll(app)
    assert "ログインして投票する" in client.get("/").text
    resident = login(world["resident"])
    home = resident.get("/")
    assert "駅前に欲しいもの" in home.text and 'name="option"' in home.text
    for _ in range(2):  # a double tap
        answer = resident.post(f"/polls/{poll_id}/vote",
                               data={"option": str(options[1]), "next": "/"})
        assert answer.status_code == 302 and answer.location.endswith(f"/#poll-{poll_id}")
    after = resident.get("/")
    assert "あなたの回答" in after.text and "100.0%" in after.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse).where(
            SurveyResponse.survey_id == poll_id)) == 1
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_htmx_swaps_the_box_and_keeps_errors_in_it(app, login, world):
    _place(login(world["staff"]), "measure", world["measure"])
    poll_id, options = _poll(app)
    resident = login(world["resident"])
    page = resident.get(f"/plan/measures/{world['measure_code']}")
    assert "駅前に欲しいもの" in page.text
    headers = {"HX-Request": "true"}
    wrong = resident.post(f"/polls/{poll_id}/vote", data={"option": "x"}, headers=headers)
    assert wrong.status_code == 422 and "選択肢から選んでください" in wrong.text
    assert "<html" not in wrong.text
    done = resident.post(f"/polls/{poll_id}/vote", data={"option": str(options[0])},
                         headers=headers)
    assert done.status_code == 200 and "あなたの回答" in done.text


def test_a_project_poll_shows_on_the_project_page(app, login, world):
    _place(login(world["staff"]), "project", world["project"])
    page = login(world["resident"]).get(f"/projects/{world['project']}")
    assert "駅前に欲しいもの" in page.text


def _own_poll_statements(statements: list[str]) -> list[str]:
    """Statements that look for a poll by themselves, not inside the project's statement."""
    return [s for s in statements if s.lstrip().startswith("SELECT survey.")]


def test_the_project_statement_tells_a_signed_in_reader_there_is_no_poll(
        app, login, client, world, count_queries):
    """Most projects have no poll: a signed-in reader's page learns it from the project's
    own statement (surveys/polls.py placed_poll_column), a visitor's asks as before."""
    path = f"/projects/{world['project']}"
    count_queries.of_get(login(world["resident"]), path)
    assert _own_poll_statements(count_queries.statements) == []
    assert any("survey.placement_id = project.id" in s for s in count_queries.statements)
    count_queries.of_get(client, path)
    assert len(_own_poll_statements(count_queries.statements)) == 1
    # A draft or another project's poll is none of this page's.
    with app.app_context():
        other = make_project(make_user()).id
        db.session.add(Survey(title="下書き", is_poll=True, placement="project",
                              placement_id=world["project"]))
        db.session.commit()
    _place(login(world["staff"]), "project", other)
    count_queries.of_get(login(world["resident"]), path)
    assert _own_poll_statements(count_queries.statements) == []


def test_a_placed_poll_shows_to_every_reader_of_the_project(app, login, client, world,
                                                            count_queries):
    _place(login(world["staff"]), "project", world["project"])
    path = f"/projects/{world['project']}"
    for reader in (login(world["resident"]), client, login(world["staff"])):
        assert "駅前に欲しいもの" in reader.get(path).text
    # The signed-in reader's page loads the poll it was told of.
    count_queries.of_get(login(world["resident"]), path)
    assert len(_own_poll_statements(count_queries.statements)) == 1


def test_only_the_project_pages_statement_asks_for_its_poll(app, login, world, count_queries):
    """The item fact is the project's (``kinds``): a proposal's page does not carry it."""
    from tests.proposals.helpers import make_proposal

    with app.app_context():
        proposal = make_proposal(make_user()).id
        db.session.commit()
    count_queries.of_get(login(world["resident"]), f"/proposals/{proposal}")
    assert not any("survey" in s for s in count_queries.statements)


def test_the_person_statement_tells_the_home_page_of_its_poll(app, login, client, world,
                                                               count_queries):
    """Only the home page's person statement asks for its poll (an endpoint's fact): none
    of its own for a signed-in reader, with or without one placed (then it loads it)."""
    resident = login(world["resident"])
    count_queries.of_get(resident, "/")
    assert _own_poll_statements(count_queries.statements) == []
    assert any(s.lstrip().startswith("SELECT user_account.") and "survey.placement_id IS NULL"
               in s for s in count_queries.statements)
    count_queries.of_get(resident, "/proposals")  # another page's person asks no poll
    assert not any("survey" in s for s in count_queries.statements)
    with app.app_context():  # a draft is none of the page's
        db.session.add(Survey(title="下書き", is_poll=True, placement="home"))
        db.session.commit()
    count_queries.of_get(resident, "/")
    assert _own_poll_statements(count_queries.statements) == []
    _place(login(world["staff"]), "home")
    page = count_queries.of_get(resident, "/")
    assert page and len(_own_poll_statements(count_queries.statements)) == 1
    assert "駅前に欲しいもの" in resident.get("/").text
    assert "駅前に欲しいもの" in client.get("/").text  # a visitor's page asks as before


def test_a_poll_needs_its_page_and_two_options(login, world):
    staff = login(world["staff"])
    missing = staff.post("/staff/polls/new", data={"prompt": "?", "options": "ひとつ",
                                                   "placement": "measure"})
    assert missing.status_code == 422
    assert "選択肢を2つ以上" in missing.text and "番号を入れてください" in missing.text
