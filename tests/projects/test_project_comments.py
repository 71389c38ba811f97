"""Comments on projects use the comments package (the "project" kind) and moderation's reports."""

from sqlalchemy import select

from komoro_engage.accounts.erasure import delete_account
from komoro_engage.comments.models import Comment
from komoro_engage.comments.services import add_comment
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import report_item
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.models import MemberStatus, Project, ProjectMember, ProjectStatus
from tests.factories import make_user
from tests.projects.helpers import make_project


def _ids(app, status=ProjectStatus.RECRUITING):
    with app.app_context():
        author, other = make_user(), make_user()
        project = make_project(status=status)
        db.session.commit()
        return author, other, project.id


def test_post_reply_and_htmx_fragment(app, login):
    author, other, project_id = _ids(app)
    client = login(author)
    response = client.post(f"/projects/{project_id}/comments",
                           data={"body": "参加したいです。駐車場はありますか？",
                                 "stance": "question"})
    assert response.status_code == 302 and "#comment-" in response.location
    with app.app_context():
        first = db.session.scalars(select(Comment).where(Comment.project_id == project_id)).one()
        assert first.proposal_id is None and first.subject.id == project_id
        assert db.session.get(Project, project_id).comment_count == 1
        first_id = first.id
    reply = login(other).post(f"/projects/{project_id}/comments",
                              data={"parent_id": str(first_id), f"reply{first_id}-body": "あります",
                                    f"reply{first_id}-stance": ""},
                              headers={"HX-Request": "true"})
    assert reply.status_code == 200 and 'id="comments"' in reply.text
    assert "<html" not in reply.text and "あります" in reply.text
    page = client.get(f"/projects/{project_id}").text
    assert "駐車場はありますか" in page and "コメント（2）" in page
    assert client.get(f"/comments/{first_id}/edit").status_code == 200
    assert client.post(f"/comments/{first_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Project, project_id).comment_count == 1


def test_empty_comment_keeps_the_page_with_the_error(app, login):
    author, _other, project_id = _ids(app)
    response = login(author).post(f"/projects/{project_id}/comments", data={"body": ""})
    assert response.status_code == 422 and "コメントを入力してください。" in response.text


def test_reports_hide_a_project_comment(app, ctx):
    project = make_project()
    comment = add_comment(make_user(), project, "宣伝です")
    for _ in range(3):
        report_item(make_user(), comment, "spam")
    assert comment.hidden_at is not None and project.comment_count == 0


def test_no_comments_on_a_cancelled_project(app, login):
    author, _other, project_id = _ids(app, ProjectStatus.CANCELLED)
    assert login(author).post(f"/projects/{project_id}/comments",
                              data={"body": "残念です"}).status_code == 403


def test_deleting_an_account_frees_the_place(app, ctx):
    project = make_project(capacity=1)
    leaving, waiting = make_user(), make_user()
    join_project(leaving, project)
    join_project(waiting, project)
    delete_account(leaving, remove_posts=False)
    assert db.session.scalar(select(ProjectMember.status).where(
        ProjectMember.user_id == waiting.id)) == MemberStatus.JOINED
    assert project.member_count == 1
