"""A page of comment threads: in the order they were posted, each with its replies, paged
by thread number, in a fixed number of statements (the page carries how many threads there
are)."""

from datetime import timedelta

from sqlalchemy import insert, select, text, update

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
        assert [t.thread_number for t in tops] == list(range(1, threads + 1))
        # In the order they were posted, whatever their dates say (a clock set back).
        db.session.execute(update(Comment).where(Comment.id == tops[0].id).values(
            created_at=clock.now() + timedelta(hours=1)))
        add_comment(deleted_person, subject, "返信A", None, tops[1])
        add_comment(writer, subject, "返信B", "against", tops[1])
        # A reply dated before its comment (an import, a clock set back) stays in its thread.
        early = add_comment(writer, subject, "返信C", None, tops[2])
        db.session.execute(update(Comment).where(Comment.id == early.id).values(
            created_at=clock.now() - timedelta(days=1)))
        first_reply = add_comment(writer, subject, "最初の意見への返信", None, tops[0])
        assert first_reply.thread_number is None
        deleted_person.status = "deleted"
        db.session.commit()
        kind = commentable.kind_of(subject)
        assert subject.id and empty.id and tops[1].id and first_reply.id  # loaded again

        count_queries.reset()
        first, pages = comment_threads(kind, subject, 1)
        assert count_queries.count == 1, count_queries.statements  # replies ride on the page
        assert pages == 2 and len(first) == COMMENTS_PAGE_SIZE
        assert [t.comment.body for t in first[:3]] == ["意見0", "意見1", "意見2"]
        assert [r.body for r in first[0].replies] == ["最初の意見への返信"]
        replies = first[1].replies
        assert [(r.body, r.stance, r.parent_id) for r in replies] == [
            ("返信A", None, tops[1].id), ("返信B", "against", tops[1].id)]
        assert replies[0].author.status == "deleted" and replies[1].author.nickname
        assert [r.body for r in first[2].replies] == ["返信C"]
        assert all(not t.replies for t in first[3:])
        assert all(t.comment.is_visible for t in first)

        second, _ = comment_threads(kind, subject, 2)
        assert [t.comment.body for t in second] == [f"意見{threads - 2}", f"意見{threads - 1}"]
        assert [t.replies for t in second] == [[], []]
        count_queries.reset()
        past, pages = comment_threads(kind, subject, 5)
        assert (past, pages, count_queries.count) == ([], 2, 2)  # the page, then the last number
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


def _rows_read(statement, values: dict) -> tuple[int, str]:
    """The most rows any step of ``statement``'s plan read (PostgreSQL: counted as it ran,
    per loop; SQLite: 0, only its plan) and the plan as text."""
    compiled = statement.params(values).compile(db.engine,
                                                compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "sqlite":
        plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        return 0, " | ".join(row[3] for row in plan)
    plan = db.session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}")).scalar()

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)
    every = list(nodes(plan[0]["Plan"]))
    return (max(node["Actual Rows"] for node in every),
            " | ".join(f"{node['Node Type']} {node.get('Index Name', '')}" for node in every))


def test_a_page_reads_its_range_of_threads_alone(ctx):
    """However many threads a subject has, its page reads the page's range of the unique
    index (by OFFSET, with a ``count()`` of them, it read every thread)."""
    from komoro_engage.comments.queries import _statements

    writer, proposal = make_user(), make_proposal()
    threads = 4 * COMMENTS_PAGE_SIZE + 10
    for n in range(threads):
        add_comment(writer, proposal, f"意見{n}", "for")
    page, _last = _statements("proposal_id")
    values = {"subject_id": proposal.id, "after": 3 * COMMENTS_PAGE_SIZE,
              "through": 4 * COMMENTS_PAGE_SIZE}
    rows = db.session.execute(page, values).all()
    assert (len(rows), rows[0].total) == (COMMENTS_PAGE_SIZE, threads)
    most, plan = _rows_read(page, values)
    assert most <= COMMENTS_PAGE_SIZE and "uq_comment_proposal_thread" in plan, plan
    if db.engine.dialect.name == "sqlite":
        assert ("uq_comment_proposal_thread (proposal_id=? AND thread_number>? AND "
                "thread_number<?)") in plan and "SCAN comment" not in plan, plan


def test_the_next_number_reads_one_entry_with_statistics_from_before_the_threads(ctx):
    """``max()`` read every thread's entry on PostgreSQL when its statistics were older
    than the threads (it took the subject for one with few); the last entry is read
    from the end of the index whatever they say."""
    from komoro_engage.comments.queries import last_thread_number

    writer, proposal, busy = make_user(), make_proposal(), make_proposal()
    threads = 4 * COMMENTS_PAGE_SIZE + 10
    add_comment(writer, proposal, "最初の意見", "for")
    # Statistics of a table too big to read whole for one subject, with one thread on it.
    db.session.execute(insert(Comment), [
        {"proposal_id": busy.id, "author_id": writer.id, "body": "意見", "thread_number": n,
         "created_at": clock.now()} for n in range(1, 3001)])
    db.session.execute(text("ANALYZE comment"))
    for n in range(1, threads):
        add_comment(writer, proposal, f"意見{n}", "for")
    next_number = select(last_thread_number("proposal_id"))
    most, plan = _rows_read(next_number, {"subject_id": proposal.id})
    assert most <= 1 and "SCAN comment" not in plan, plan
    assert db.session.scalar(next_number, {"subject_id": proposal.id}) == threads
