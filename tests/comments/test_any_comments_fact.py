"""Whether an item has any comment rides on its page's statement for a signed-in reader
(comments/queries.py ANY_COMMENTS_FACT): a proposal or project without comments runs no
statement for its threads; one whose only comment was deleted still shows that it was."""

from __future__ import annotations

import pytest

from komoro_engage.comments.services import add_comment, delete_comment
from komoro_engage.extensions import db
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal

DELETED = "このコメントは削除されました"


def _threads_asked(statements: list[str]) -> bool:
    return any("FROM comment" in s and "threads" in s for s in statements)


@pytest.mark.parametrize("kind", ["proposals", "projects"])
def test_threads_are_asked_only_of_an_item_with_comments(app, login, count_queries, kind):
    with app.app_context():
        writer, reader = make_user(), make_user()
        make = make_proposal if kind == "proposals" else (
            lambda title: make_project(make_user(), title=title))
        quiet, talked, emptied = (make(title=t) for t in ("静か", "話題", "消えた"))
        add_comment(writer, talked, "賛成です", "for" if kind == "proposals" else None)
        delete_comment(add_comment(writer, emptied, "取り消します", None))
        db.session.commit()
        paths = [f"/{kind}/{item.id}" for item in (quiet, talked, emptied)]
    viewer = login(reader)
    asked, shown = [], []
    for path in paths:
        html = viewer.get(path).get_data(as_text=True)
        shown.append(("賛成です" in html, DELETED in html))
        count_queries.of_get(viewer, path)
        asked.append(_threads_asked(count_queries.statements))
    assert asked == [False, True, True]
    assert shown == [(False, False), (True, False), (False, True)]


def test_the_fact_reads_the_index_even_where_the_column_is_mostly_empty(ctx):
    """Most comments are on proposals: with statistics, SQLite saw ``project_id`` as one
    value (NULL) on every row and scanned every comment for ``EXISTS (SELECT * …)``."""
    from sqlalchemy import literal, select, text

    from komoro_engage.comments.queries import any_comments_column

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL keeps per-value statistics")
    writer, proposal = make_user(), make_proposal()
    for n in range(40):
        add_comment(writer, proposal, f"意見{n}", "for")
    db.session.execute(text("ANALYZE"))
    statement = select(any_comments_column("project", literal(1), None))
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = " | ".join(row[3] for row in db.session.execute(
        text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "COVERING INDEX" in plan and "SCAN comment" not in plan, plan
