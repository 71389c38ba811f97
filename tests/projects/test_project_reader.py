"""The project page reads what it needs to know of its signed-in reader (manager of the
lead organisation? member? partner's manager? coming to which days?) with the project
itself, in one statement, on read requests only (projects/reader.py, issue 16); and the
page's figures (members waiting, volunteer hours) with it, for every reader."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from flask_login import login_user

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.core.request_facts import keep_answers, known
from komoro_engage.extensions import db
from komoro_engage.projects.activities import DayData, save_activity_day
from komoro_engage.projects.activity_queries import activity, figures_key
from komoro_engage.projects.membership import join_project, member_key, rsvp
from komoro_engage.projects.models import MemberStatus, ProgressReport, ProjectMember
from komoro_engage.projects.reader import project_page
from komoro_engage.projects.services import add_partner
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project

# The statements each fact had of its own before it rode on the project's.
OWN_STATEMENTS = (
    re.compile(r"FROM membership\s+WHERE membership.organisation_id"),  # lead's manager
    re.compile(r"FROM project_member\s+WHERE project_member.project_id = \S+ AND "
               r"project_member.user_id"),  # membership
    re.compile(r"FROM membership JOIN project_partner"),  # a partner's manager
    re.compile(r"FROM rsvp JOIN activity_day"),  # RSVPs
)


def _world(app):
    with app.app_context():
        creator, lead_manager, member, partner_manager, resident = (
            make_user() for _ in range(5))
        organisation = make_organisation(lead_manager, name="川辺の会")
        project = make_project(creator, organisation=organisation, title="川辺の清掃")
        add_partner(creator, project, "cooperation", make_organisation(partner_manager))
        join_project(member, project)
        days = [save_activity_day(creator, project, DayData(
            day=clock.japan_today() + timedelta(days=n), start=time(9), end=time(11),
            title=f"活動日{n}")) for n in (3, 4)]
        rsvp(member, days[1])
        db.session.commit()
        return {"project": project.id, "days": [day.id for day in days],
                "lead_manager": lead_manager, "member": member,
                "partner_manager": partner_manager, "resident": resident,
                "member_id": member.id}


def _own_statements(statements: list[str]) -> list[str]:
    """The statements of the reader's facts apart from the project's own (which holds them)."""
    return [s for s in statements if not s.startswith("SELECT project.id")
            and any(p.search(s) for p in OWN_STATEMENTS)]


def _going(html: str, day_id: int) -> bool:
    box = html.split(f'id="rsvp-{day_id}"', 1)[1].split("</form>", 1)[0]
    return "参加予定です。" in box


def test_each_reader_sees_their_own_place_in_the_project(app, login, count_queries):
    world = _world(app)
    path = f"/projects/{world['project']}"
    first_day, second_day = world["days"]

    def page(who):
        response = login(world[who]).get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        count_queries.of_get(login(world[who]), path)
        assert _own_statements(count_queries.statements) == [], who
        return html

    lead_manager = page("lead_manager")
    assert "主催者のメニュー" in lead_manager  # manages the lead organisation

    member = page("member")
    assert "として参加しています。" in member and "参加を取り消す" in member
    assert "主催者のメニュー" not in member
    assert not _going(member, first_day) and _going(member, second_day)
    assert "主催者からのお知らせ" in member  # the archive: members are an audience

    partner = page("partner_manager")
    assert "主催者からのお知らせ" in partner  # the archive: partners' managers are one too
    assert "参加を取り消す" not in partner and "主催者のメニュー" not in partner

    resident = page("resident")  # after the others: nothing of theirs carries over
    assert "参加を申し込む" in resident
    assert "主催者からのお知らせ" not in resident and "主催者のメニュー" not in resident
    assert "参加予定です。" not in resident


def test_reader_facts_cost_no_statement_of_their_own(app, login, count_queries):
    world = _world(app)
    path = f"/projects/{world['project']}"
    member = count_queries.of_get(login(world["member"]), path)
    visitor = count_queries.of_get(app.test_client(), path)
    # A visitor's page asks nothing of a reader; the member's asks the person (with the
    # bell and the plan's version), what they follow and the organisations they manage.
    assert member <= visitor + 3, count_queries.statements


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_a_read_keeps_the_readers_facts(app, method):
    """A request that writes (joining, then showing the page) loads the project alone and
    asks each fact after its writes; a read keeps what the project's statement brought."""
    world = _world(app)
    with app.test_request_context(f"/projects/{world['project']}", method=method):
        member = db.session.get(User, world["member_id"])
        login_user(member)
        project = project_page(world["project"])
        asked = []
        kept = known(member_key(project.id, member.id), lambda: asked.append("asked"))
        if method == "GET":
            assert (kept.status, asked) == ("joined", [])
        else:
            assert (kept, asked) == (None, ["asked"])


def test_known_answers_what_was_kept_and_asks_the_rest_each_time(app):
    asked = []

    def ask():
        asked.append(1)
        return len(asked)

    with app.test_request_context("/"):
        keep_answers({("member", 1, 2): "kept"})
        assert known(("member", 1, 2), ask) == "kept"
        assert asked == []
        assert known(("member", 1, 3), ask) == 1
        assert known(("member", 1, 3), ask) == 2  # not kept: a write may change it


def _with_figures(app, world) -> None:
    """Two people waiting for a place and 3.5 volunteer hours reported, in two reports."""
    with app.app_context():
        waiting = [make_user() for _ in range(2)]
        db.session.add_all([ProjectMember(project_id=world["project"], user_id=person.id,
                                          status=MemberStatus.WAITING) for person in waiting])
        db.session.add_all([ProgressReport(project_id=world["project"],
                                           author_id=world["member_id"], body=f"報告{hours}",
                                           volunteer_hours=hours) for hours in (1.5, 2.0)])
        db.session.commit()


def _figures_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.startswith("SELECT project.id")
            and "sum(progress_report.volunteer_hours)" in s]


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_figures_come_with_the_project(app, login, count_queries, who):
    world = _world(app)
    _with_figures(app, world)
    viewer = login(world["member"]) if who == "member" else app.test_client()
    path = f"/projects/{world['project']}"
    html = viewer.get(path).get_data(as_text=True)
    assert "キャンセル待ち 2人" in html and "ボランティア 3.5時間" in html
    count_queries.of_get(viewer, path)
    assert _figures_statements(count_queries.statements) == [], count_queries.statements


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_a_read_keeps_the_figures(app, method):
    world = _world(app)
    _with_figures(app, world)
    with app.test_request_context(f"/projects/{world['project']}", method=method):
        project = project_page(world["project"])
        asked = []
        kept = known(figures_key(project.id), lambda: asked.append("asked"))
        # (waiting, hours, any day, any report)
        assert (kept, asked) == (((2, 3.5, True, True), []) if method == "GET"
                                 else (None, ["asked"]))
        assert (activity(project).waiting, activity(project).volunteer_hours) == (2, 3.5)


def test_a_project_without_days_or_reports_asks_for_neither(app, client, login,
                                                           count_queries):
    """Whether a project has activity days and reports rides on its statement: a new
    project (none of either) runs no statement for them; one with them shows them."""
    world = _world(app)
    _with_figures(app, world)
    with app.app_context():
        bare = make_project(make_user(), title="始まったばかり").id
        reader = make_user()
        db.session.commit()
    for viewer in (client, login(reader)):
        for project_id, title, expected in ((bare, "始まったばかり", False),
                                            (world["project"], "川辺の清掃", True)):
            path = f"/projects/{project_id}"
            response = viewer.get(path)
            html = response.get_data(as_text=True)
            assert response.status_code == 200 and f"<h1>{title}</h1>" in html
            assert ("活動日3" in html, "報告1.5" in html) == (expected, expected)
            count_queries.of_get(viewer, path)
            asked = [s.split()[1].split(".")[0] for s in count_queries.statements
                     if s.startswith(("SELECT activity_day.", "SELECT progress_report."))]
            assert asked == (["activity_day", "progress_report"] if expected else []), asked
