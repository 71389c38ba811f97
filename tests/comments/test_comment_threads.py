"""A page of comment threads: oldest first, each with its replies, paged by thread, in
a fixed number of statements (the page carries the count of all its threads)."""

from datetime import timedelta

from sqlalchemy import update

from komoro_engage.comments import commentable
from komoro_engage.comments.models import Comment
from komoro_engage.comments.queries import COMMENTS_PAGE_SIZE, comment_threads
from komoro_engage.comments.services import add_comment
from komoro_engage.core import clock
from komoro_engage.extensions import db
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


def test_threads_page_by_thread_with_their_replies(app, count_queries):
    with app.app_context():
        writer, deleted_person = make_user(), make_user()
        subject, empty = make_proposal(), make_proposal()
        threads = COMMENTS_PAGE_SIZE + 2
        tops = [add_comment(writer, subject, f"意見{n}", "for") for n in range(threads)]
        # Oldest first however they were written: the first written is made the newest.
        db.session.execute(update(Comment).where(Comment.id == tops[0].id).values(
            created_at=clock.now() + timedelta(hours=1)))
        add_comment(deleted_person, subject, "返信A", None, tops[1])
        add_comment(writer, subject, "返信B", "against", tops[1])
        # A reply dated before its comment (an import, a clock set back) stays in its thread.
        early = add_comment(writer, subject, "返信C", None, tops[2])
        db.session.execute(update(Comment).where(Comment.id == early.id).values(
            created_at=clock.now() - timedelta(days=1)))
        late_reply = add_comment(writer, subject, "遅い意見への返信", None, tops[0])
        deleted_person.status = "deleted"
        db.session.commit()
        kind = commentable.kind_of(subject)
        assert subject.id and empty.id and tops[1].id and late_reply.id  # loaded again

        count_queries.reset()
        first, pages = comment_threads(kind, subject, 1)
        assert count_queries.count == 1, count_queries.statements  # replies ride on the page
        assert pages == 2 and len(first) == COMMENTS_PAGE_SIZE
        assert [t.comment.body for t in first[:2]] == ["意見1", "意見2"]
        replies = first[0].replies
        assert [(r.body, r.stance, r.parent_id) for r in replies] == [
            ("返信A", None, tops[1].id), ("返信B", "against", tops[1].id)]
        assert replies[0].author.status == "deleted" and replies[1].author.nickname
        assert [r.body for r in first[1].replies] == ["返信C"]
        assert all(not t.replies for t in first[2:])  # the newest thread's reply is not here
        assert all(t.comment.is_visible for t in first)

        second, _ = comment_threads(kind, subject, 2)
        assert [t.comment.body for t in second] == [f"意見{threads - 1}", "意見0"]
        assert [[r.body for r in t.replies] for t in second] == [[], ["遅い意見への返信"]]
        count_queries.reset()
        past, pages = comment_threads(kind, subject, 5)
        assert (past, pages, count_queries.count) == ([], 2, 2)  # the page, then the count
        count_queries.reset()
        assert comment_threads(kind, empty, 1) == ([], 1) and count_queries.count == 1


def test_a_page_with_comments_is_read_as_a_read(app, client, caplog):
    """The comment threads' page is a ``WITH … SELECT``: on a GET it is no write made
    without ``writes_on_get`` (once logged as one on every page with comments)."""
    with app.app_context():
        proposal = make_proposal()
        add_comment(make_user(), proposal, "最初のコメント")
        db.session.commit()
        proposal_id = proposal.id
    with caplog.at_level("WARNING"):
        html = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "最初のコメント" in html
    assert [r.getMessage() for r in caplog.records if "writes_on_get" in r.getMessage()] == []
