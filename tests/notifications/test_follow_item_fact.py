"""The proposal and project pages ask whether their reader follows the item in the item's
own statement (a registered item fact, core/request_facts), where the follow button had
a statement of its own: on a read only, and each reader their own answer (issue 16)."""

import pytest
from flask_login import login_user
from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core.request_facts import item_fact_key, known
from komoro_engage.extensions import db
from komoro_engage.notifications.follows import FOLLOWS_FACT, follow, unfollow
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.reader import proposal_page
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal

FOLLOWING = 'aria-pressed="true"'
NOT_FOLLOWING = 'aria-pressed="false"'


@pytest.fixture
def world(app):
    with app.app_context():
        follower, stopped, other, author = (make_user() for _ in range(4))
        proposal = make_proposal(author, title="駅前に駐輪場を")
        project = make_project(author, title="駅前の花壇づくり")
        for kind, item in (("proposal", proposal.id), ("project", project.id)):
            follow(follower, kind, item)
            follow(stopped, kind, item)
            unfollow(stopped, kind, item)
        follow(other, "district", 1)  # following something else is not following these
        db.session.commit()
        return {"proposal": proposal.id, "project": project.id, "follower": follower.id,
                "stopped": stopped.id, "other": other.id}


def _person(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id)


@pytest.mark.parametrize("kind", ["proposal", "project"])
def test_each_reader_sees_their_own_follow_state_without_a_statement_of_its_own(
        app, login, count_queries, world, kind):
    path = f"/{kind}s/{world[kind]}"
    for who, following in (("follower", True), ("stopped", False), ("other", False),
                           ("follower", True)):
        viewer = login(_person(app, world[who]))
        html = viewer.get(path).get_data(as_text=True)
        button = html.split(f'id="follow-{kind}-{world[kind]}"', 1)[1].split(">", 1)[0]
        assert (FOLLOWING if following else NOT_FOLLOWING) in button, (who, button)
        count_queries.of_get(viewer, path)
        own = [s for s in count_queries.statements if "FROM follow" in s
               and not s.startswith(f"SELECT {kind}.id")]
        assert own == [], own


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_a_read_keeps_the_follow_state(app, world, method):
    with app.test_request_context(f"/proposals/{world['proposal']}", method=method):
        login_user(db.session.get(User, world["follower"]))
        proposal_page(world["proposal"])
        asked = []
        kept = known(item_fact_key(FOLLOWS_FACT, "proposal", world["proposal"],
                                   world["follower"]), lambda: asked.append("asked"))
        assert (bool(kept), asked) == ((True, []) if method == "GET" else (False, ["asked"]))


def test_a_page_without_the_item_fact_still_reads_what_the_person_follows(app, login, world):
    with app.app_context():
        measure = db.session.scalar(select(Measure).order_by(Measure.id).limit(1))
        code, measure_id = measure.code, measure.id
        follow(db.session.get(User, world["follower"]), "measure", measure_id)
        db.session.commit()
    for who, pressed in (("follower", "true"), ("other", "false")):
        html = login(_person(app, world[who])).get(f"/plan/measures/{code}").get_data(
            as_text=True)
        button = html.split(f'id="follow-measure-{measure_id}"', 1)[1].split(">", 1)[0]
        assert f'aria-pressed="{pressed}"' in button, who
