"""The busiest writes commit before their answer renders (``commit_before_answer``).

Until a write commits, it holds its subject's row (PostgreSQL) or the writers' queue
(SQLite), and every other supporter or commenter of that proposal waits out its render.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from komoro_engage.comments import views as comment_views
from komoro_engage.comments.models import Comment
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal
from komoro_engage.proposals.views import detail as proposal_views
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

HTMX = {"HX-Request": "true"}


@pytest.fixture
def steps(monkeypatch):
    """What the request did, in order: each commit and the answer's render."""
    done: list[str] = []

    def committed(_session):
        done.append("commit")

    def noting_renders(render):
        def noted(*args, **kwargs):
            done.append("render")
            return render(*args, **kwargs)
        return noted

    event.listen(Session, "after_commit", committed)
    for module in (comment_views, proposal_views):
        monkeypatch.setattr(module, "render", noting_renders(module.render))
    yield done
    event.remove(Session, "after_commit", committed)


@pytest.fixture
def resident_and_proposal(app, login):
    with app.app_context():
        resident, proposal = make_user(), make_proposal()
        db.session.commit()
        return login(resident), proposal.id


@pytest.mark.parametrize("action, data", [
    ("support", {}),
    ("comments", {"body": "説明会に行きます。", "stance": "for"}),
])
def test_the_write_is_committed_before_its_answer_renders(resident_and_proposal, steps,
                                                          action, data):
    client, proposal_id = resident_and_proposal
    steps.clear()
    response = client.post(f"/proposals/{proposal_id}/{action}", headers=HTMX, data=data)
    assert response.status_code == 200
    assert steps[:2] == ["commit", "render"]


def test_a_refused_comment_commits_nothing_before_it_renders(resident_and_proposal, steps):
    client, proposal_id = resident_and_proposal
    steps.clear()
    response = client.post(f"/proposals/{proposal_id}/comments", headers=HTMX,
                           data={"body": "  "})
    assert "コメントを入力してください。" in response.get_data(as_text=True)
    assert steps[0] == "render"


def test_the_comment_and_its_counter_are_kept_and_shown(app, resident_and_proposal):
    client, proposal_id = resident_and_proposal
    html = client.post(f"/proposals/{proposal_id}/comments", headers=HTMX,
                       data={"body": "駐車場のことも聞きたいです。"}).get_data(as_text=True)
    assert "駐車場のことも聞きたいです。" in html
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).comment_count == 1
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
