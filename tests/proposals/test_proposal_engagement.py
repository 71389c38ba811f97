"""Supports, comments and reports over HTTP, with and without htmx."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import Role, UserStatus
from komoro_engage.comments.models import Comment
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal, ProposalStatus, Support
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

HTMX = {"HX-Request": "true"}


@pytest.fixture
def published(app):
    with app.app_context():
        proposal_id = make_proposal().id
        db.session.commit()
    return proposal_id


def fresh_user(app, **fields):
    with app.app_context():
        user = make_user(**fields)
        db.session.commit()
        return user


def count(app, proposal_id, column="support_count"):
    with app.app_context():
        return getattr(db.session.get(Proposal, proposal_id), column)


def test_support_in_place_with_htmx_and_twice_is_still_one(app, login, published):
    client = login(fresh_user(app))
    response = client.post(f"/proposals/{published}/support", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "<strong>1</strong>" in html and "賛同を取り消す" in html
    client.post(f"/proposals/{published}/support", headers=HTMX)
    assert count(app, published) == 1
    response = client.post(f"/proposals/{published}/unsupport", headers=HTMX)
    assert "<strong>0</strong>" in response.get_data(as_text=True)
    client.post(f"/proposals/{published}/unsupport")
    assert count(app, published) == 0


def test_support_as_a_plain_form_redirects_back(app, login, published):
    client = login(fresh_user(app))
    response = client.post(f"/proposals/{published}/support")
    assert response.status_code == 302 and response.location.endswith(f"{published}#support")
    html = client.get(f"/proposals/{published}").get_data(as_text=True)
    assert 'id="support" class="support-box" aria-live="polite"' in html
    assert "賛同しました。" in html and "賛同を取り消す" in html


def test_who_may_not_support(app, login, published):
    with app.app_context():
        author = make_user()
        own = make_proposal(author).id
        draft = make_proposal(author, status=ProposalStatus.DRAFT).id
        suspended = make_user(status=UserStatus.SUSPENDED)
        db.session.commit()
    assert login(author).post(f"/proposals/{own}/support").status_code == 403
    assert login(author).post(f"/proposals/{draft}/support").status_code == 403
    refused = login(suspended).post(f"/proposals/{published}/support")
    assert refused.status_code == 302 and refused.location.startswith("/login")
    assert app.test_client().post(f"/proposals/{published}/support").status_code in (302, 401)
    assert count(app, own) == count(app, published) == 0


def test_comment_with_htmx_returns_the_comment_section(app, login, published):
    client = login(fresh_user(app, nickname="浅間の風"))
    response = client.post(f"/proposals/{published}/comments", headers=HTMX, data={
        "body": "賛成です。\n詳しくは https://www.city.komoro.lg.jp/ を見て <b>ね</b>",
        "stance": "for"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<section id="comments"')
    assert "浅間の風" in html and "賛成" in html
    assert ('<a href="https://www.city.komoro.lg.jp/" rel="nofollow ugc noopener" '
            'target="_blank">https://www.city.komoro.lg.jp/</a>') in html
    assert "賛成です。<br>" in html and "&lt;b&gt;ね&lt;/b&gt;" in html
    assert count(app, published, "comment_count") == 1


def test_empty_comment_keeps_form_and_shows_error(app, login, published):
    client = login(fresh_user(app))
    response = client.post(f"/proposals/{published}/comments", data={"body": "  "})
    assert response.status_code == 422
    assert "コメントを入力してください。" in response.get_data(as_text=True)
    response = client.post(f"/proposals/{published}/comments", headers=HTMX,
                           data={"body": "", "stance": "question"})
    assert response.status_code == 200
    assert "コメントを入力してください。" in response.get_data(as_text=True)


def test_replies_stay_one_level_deep(app, login, published):
    client = login(fresh_user(app))
    client.post(f"/proposals/{published}/comments", data={"body": "最初のコメント"})
    with app.app_context():
        first = db.session.scalars(select(Comment.id)).one()
    client.post(f"/proposals/{published}/comments",
                data={"parent_id": first, f"reply{first}-body": "返信です"})
    with app.app_context():
        reply = db.session.scalars(select(Comment).where(Comment.parent_id == first)).one()
        reply_id = reply.id
    client.post(f"/proposals/{published}/comments",
                data={"parent_id": reply_id, f"reply{reply_id}-body": "返信への返信"})
    with app.app_context():
        parents = db.session.scalars(select(Comment.parent_id).order_by(Comment.id)).all()
    assert parents == [None, first, first]
    html = app.test_client().get(f"/proposals/{published}").get_data(as_text=True)
    assert html.index("返信です") < html.index("返信への返信")


def test_comment_edit_window_and_delete_with_a_fixed_clock(app, login, published, monkeypatch):
    start = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: start)
    author = fresh_user(app)
    client = login(author)
    client.post(f"/proposals/{published}/comments", data={"body": "誤字があります"})
    with app.app_context():
        comment_id = db.session.scalars(select(Comment.id)).one()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=15))
    assert client.post(f"/comments/{comment_id}/edit",
                       data={"body": "直しました"}).status_code == 302
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=15, seconds=1))
    assert client.get(f"/comments/{comment_id}/edit").status_code == 403
    other = login(fresh_user(app))
    assert other.post(f"/comments/{comment_id}/delete").status_code == 403
    assert client.post(f"/comments/{comment_id}/delete").status_code == 302
    html = app.test_client().get(f"/proposals/{published}").get_data(as_text=True)
    assert "このコメントは削除されました" in html and "直しました" not in html
    assert count(app, published, "comment_count") == 0


def test_three_distinct_reports_hide_a_proposal_with_a_neutral_notice(app, login, published):
    reporters = [fresh_user(app) for _ in range(3)]
    for index, reporter in enumerate(reporters[:2]):
        client = login(reporter)
        client.post(f"/proposals/{published}/report", data={"reason": "spam"})
        client.post(f"/proposals/{published}/report", data={"reason": "abuse"})  # twice: once
        assert count(app, published, "status") == ProposalStatus.PUBLISHED, index
    response = login(reporters[2]).post(f"/proposals/{published}/report", data={"reason": ""})
    assert response.status_code == 422 and "理由を選んでください。" in response.get_data(True)
    login(reporters[2]).post(f"/proposals/{published}/report", data={"reason": "other"})
    assert count(app, published, "status") == ProposalStatus.HIDDEN
    html = app.test_client().get(f"/proposals/{published}").get_data(as_text=True)
    assert "この提案は通報を受けたため、市が内容を確認するまで表示を控えています。" in html
    assert "駅前に花壇" not in html
    assert f"/proposals/{published}\"" not in app.test_client().get("/proposals").get_data(True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "proposal.hidden_by_reports")) == 1


def test_reported_comment_is_hidden(app, login, published):
    client = login(fresh_user(app))
    client.post(f"/proposals/{published}/comments", data={"body": "宣伝です"})
    with app.app_context():
        comment_id = db.session.scalars(select(Comment.id)).one()
    for _ in range(3):
        login(fresh_user(app)).post(f"/comments/{comment_id}/report",
                                    data={"reason": "spam"})
    html = app.test_client().get(f"/proposals/{published}").get_data(as_text=True)
    assert "宣伝です" not in html and "市が確認するまで表示を控えています" in html
    assert count(app, published, "comment_count") == 0


def test_staff_may_delete_any_comment(app, login, published):
    login(fresh_user(app)).post(f"/proposals/{published}/comments", data={"body": "問題の投稿"})
    with app.app_context():
        comment_id = db.session.scalars(select(Comment.id)).one()
    assert login(fresh_user(app, role=Role.STAFF)).post(
        f"/comments/{comment_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Comment, comment_id).deleted_at is not None
        assert db.session.scalar(select(func.count()).select_from(Support)) == 0


def test_the_reply_form_comes_when_asked_for_with_and_without_javascript(app, login, published):
    client = login(fresh_user(app))
    for n in range(3):
        client.post(f"/proposals/{published}/comments", data={"body": f"コメント{n}"})
    with app.app_context():
        first, second, _third = db.session.scalars(select(Comment.id).order_by(Comment.id))
    page = client.get(f"/proposals/{published}").text
    # No closed reply forms on the page: a 返信する link per comment instead.
    assert 'name="parent_id"' not in page and page.count(">返信する</a>") == 3
    link = f"/proposals/{published}?reply={second}#reply-{second}"
    assert f'href="{link}"' in page and f'hx-select="#reply-{second}"' in page
    # Without JavaScript the link opens the page with that one form, the cursor in it.
    opened = client.get(f"/proposals/{published}?reply={second}").text
    assert opened.count('name="parent_id"') == 1
    assert f'<input type="hidden" name="parent_id" value="{second}">' in opened
    assert f'id="reply{second}-body"' in opened and "autofocus" in opened
    # htmx asks the same address and takes #reply-<id> out of the answer.
    fragment = client.get(f"/proposals/{published}?reply={second}", headers=HTMX).text
    assert f'id="reply-{second}"' in fragment and f'id="reply{second}-body"' in fragment
    # The form posts a reply under that comment, as before.
    client.post(f"/proposals/{published}/comments",
                data={"parent_id": second, f"reply{second}-body": "返信します"})
    with app.app_context():
        assert db.session.scalar(select(Comment.parent_id).where(
            Comment.body == "返信します")) == second
    # A reply link for a comment on another proposal (or nonsense) opens nothing.
    for value in ("999999", "abc", str(first * -1)):
        assert 'name="parent_id"' not in client.get(
            f"/proposals/{published}?reply={value}").text


def test_after_a_post_the_answer_shows_the_page_the_new_comment_is_on(app, login, published,
                                                                      monkeypatch):
    from komoro_engage.comments import queries

    monkeypatch.setattr(queries, "COMMENTS_PAGE_SIZE", 2)
    client = login(fresh_user(app))
    for n in range(4):  # two full pages
        client.post(f"/proposals/{published}/comments", data={"body": f"古いコメント{n}"})
    answer = client.post(f"/proposals/{published}/comments", headers=HTMX,
                         data={"body": "新しいコメント"})
    assert answer.status_code == 200 and "新しいコメント" in answer.text
    assert "3 / 3 ページ" in answer.text and "古いコメント0" not in answer.text
    plain = client.post(f"/proposals/{published}/comments", data={"body": "もう一つ"})
    with app.app_context():
        newest = db.session.scalar(select(func.max(Comment.id)))
    assert plain.status_code == 302
    assert plain.headers["Location"].endswith(f"/proposals/{published}?page=3#comment-{newest}")
    # A reply shows its parent's page (the first), not the last.
    with app.app_context():
        oldest = db.session.scalar(select(func.min(Comment.id)))
    reply = client.post(f"/proposals/{published}/comments", headers=HTMX,
                        data={"parent_id": oldest, f"reply{oldest}-body": "最初への返信"})
    assert "最初への返信" in reply.text and "1 / 3 ページ" in reply.text
