"""The one interface for anything commentable: a registered kind posts, an unknown one is 404."""

from pathlib import Path

import pytest
from flask_login import login_user
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound

from komoro_engage.accounts.models import User
from komoro_engage.comments import commentable
from komoro_engage.comments.models import Comment
from komoro_engage.comments.views import post_comment
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

PACKAGE = Path(__file__).resolve().parents[2] / "komoro_engage" / "comments"


@pytest.fixture
def consultation():
    """A later feature's kind; it borrows the proposal column, the only way to get a row."""
    kind = commentable.register(commentable.Commentable(
        name="consultation", fk_column="proposal_id",
        load=lambda subject_id: db.get_or_404(Proposal, subject_id),
        can_read=lambda _user, _subject: True,
        can_comment=lambda user, subject: user.nickname != "聞くだけの人",
        page_endpoint="proposals.detail", post_endpoint="proposals.comment",
        id_arg="proposal_id", template="proposals/detail.html",
        page_context=lambda _subject, _form, _reply_to, _page: {}))
    yield kind
    commentable.unregister("consultation")


def _people_and_subject(app):
    with app.app_context():
        speaker, listener = make_user(), make_user(nickname="聞くだけの人")
        subject = make_proposal()
        db.session.commit()
        return speaker.id, listener.id, subject.id


def _post(app, user_id: int, kind: str, subject_id: int, body: str = "説明会に行きます。"):
    with app.test_request_context(method="POST", data={"body": body, "stance": "for"}):
        login_user(db.session.get(User, user_id))
        response = post_comment(kind, subject_id)
        db.session.commit()  # what the request's unit of work does after a success
        return response


def test_a_registered_kind_posts_through_the_one_interface(app, consultation):
    speaker, listener, subject_id = _people_and_subject(app)
    response = _post(app, speaker, "consultation", subject_id)
    assert response.status_code == 302
    assert response.location.startswith(f"/proposals/{subject_id}#comment-")
    with app.app_context():
        comment = db.session.scalars(select(Comment).where(
            Comment.proposal_id == subject_id)).one()
        assert comment.body == "説明会に行きます。" and comment.stance == "for"
        assert db.session.get(Proposal, subject_id).comment_count == 1
    with pytest.raises(Forbidden):  # the kind's own rule decides who may comment
        _post(app, listener, "consultation", subject_id)
    with pytest.raises(NotFound):  # and its loader which subjects exist
        _post(app, speaker, "consultation", 2**30)


def test_an_unknown_kind_is_not_found(app):
    speaker, _listener, subject_id = _people_and_subject(app)
    with pytest.raises(NotFound):
        _post(app, speaker, "survey", subject_id)
    with app.app_context():
        assert db.session.get(Proposal, subject_id).comment_count == 0


def test_proposals_and_projects_register_themselves(app):
    assert commentable.get("proposal").column == "proposal_id"
    assert commentable.get("project").column == "project_id"


def test_comments_import_no_feature():
    for path in PACKAGE.glob("*.py"):
        source = path.read_text()
        for feature in ("proposals", "projects"):
            assert f"komoro_engage.{feature}" not in source, f"{path.name} imports {feature}"
        assert "isinstance(" not in source, path.name
