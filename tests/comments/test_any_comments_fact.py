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
