"""One transaction per request (``core/transaction.py``): kept on success, gone on any error."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest
from flask import abort, flash, redirect
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from komoro_engage import create_app
from komoro_engage.accounts.models import User
from komoro_engage.core.page_cache import EXTENSION, HEADER, PageCache, for_visitors
from komoro_engage.core.transaction import (
    JUSTIFICATION,
    commit_before_answer,
    on_commit,
    writes_on_get,
)
from komoro_engage.extensions import db

PACKAGE = Path(__file__).resolve().parents[2] / "komoro_engage"
TAKEN = "taken@example.jp"


def _add_user(email: str) -> None:
    """Add without flushing: a clash shows only when the request commits."""
    nickname = email.split("@")[0]
    db.session.add(User(email=email, nickname=nickname,
                        nickname_key=unicodedata.normalize("NFKC", nickname).casefold()))


def _write_then(outcome: str):
    _add_user(f"{outcome}@example.jp")
    db.session.flush()
    if outcome == "raise":
        raise RuntimeError("after the write")
    if outcome == "forbidden":
        abort(403)
    if outcome == "invalid":
        return "the form again, with its errors", 422
    if outcome == "clash":
        _add_user(TAKEN)
    flash("saved", "success")
    return redirect("/")


def _build(app, **overrides):
    built = create_app("testing", DATABASE_URL=app.config["DATABASE_URL"],
                       STORAGE_DIR=app.config["STORAGE_DIR"], **overrides)
    built.add_url_rule("/_uow/<outcome>", "uow_write", _write_then, methods=["POST"])
    calls = []

    @built.get("/_uow/visitors")
    @writes_on_get
    @for_visitors
    def visitors_page():
        calls.append(1)
        if len(calls) == 1:
            _add_user(TAKEN)  # this request's commit fails
        return "a page for visitors"

    @built.post("/_uow/early/<outcome>")
    def commit_early_then_answer(outcome):
        user = _write_then_keep(outcome)
        commit_before_answer()
        on_commit(lambda: built.config.setdefault("CALLBACKS", []).append(outcome))
        statements = _statements_while(lambda: user.nickname)  # still loaded
        if outcome == "raise":
            raise RuntimeError("the answer failed after the commit")
        return {"statements": statements}

    return built


def _write_then_keep(outcome: str) -> User:
    _add_user(f"early-{outcome}@example.jp")
    db.session.flush()
    return db.session.scalars(select(User).where(User.email == f"early-{outcome}@example.jp")).one()


def _statements_while(read) -> int:
    seen = []

    def listener(*_args):
        seen.append(1)

    event.listen(Engine, "before_cursor_execute", listener)  # whichever engine the test binds
    try:
        read()
    finally:
        event.remove(Engine, "before_cursor_execute", listener)
    return len(seen)


@pytest.fixture
def uow_app(app):
    """An app of its own, so test routes can be added; errors answer with their page."""
    built = _build(app, PROPAGATE_EXCEPTIONS=False)
    yield built
    with built.app_context():
        db.engine.dispose()


@pytest.fixture
def taken(app):
    with app.app_context():
        _add_user(TAKEN)
        db.session.commit()


def _stored(app, outcome: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)
                                 .where(User.email == f"{outcome}@example.jp"))


def test_a_write_answered_with_a_redirect_is_kept(app, uow_app):
    response = uow_app.test_client().post("/_uow/kept")
    assert response.status_code == 302
    assert _stored(app, "kept") == 1


@pytest.mark.parametrize("outcome, status", [("raise", 500), ("forbidden", 403),
                                             ("invalid", 422)])
def test_a_write_answered_with_an_error_is_rolled_back(app, uow_app, outcome, status):
    assert uow_app.test_client().post(f"/_uow/{outcome}").status_code == status
    assert _stored(app, outcome) == 0


def test_an_exception_that_propagates_rolls_back_too(app):
    propagating = _build(app)  # the testing default: the test sees the exception
    with pytest.raises(RuntimeError):
        propagating.test_client().post("/_uow/raise")
    assert _stored(app, "raise") == 0
    with propagating.app_context():
        db.engine.dispose()


def test_a_failed_commit_answers_with_the_error_page_and_keeps_nothing(app, uow_app, taken):
    client = uow_app.test_client()
    response = client.post("/_uow/clash")
    assert response.status_code == 500
    assert "システムでエラーが発生しました" in response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"  # later hooks saw the error page
    assert _stored(app, "clash") == 0
    with client.session_transaction() as session:
        assert "_flashes" not in session  # no "saved" on the next page


def test_a_page_is_kept_for_visitors_only_after_its_request_commits(app, uow_app, taken):
    uow_app.extensions[EXTENSION] = PageCache(seconds=60, max_bytes=1024 * 1024)
    client = uow_app.test_client()
    assert client.get("/_uow/visitors").status_code == 500  # rendered, then the commit failed
    second = client.get("/_uow/visitors")
    assert (second.status_code, second.headers[HEADER]) == (200, "miss")
    assert client.get("/_uow/visitors").headers[HEADER] == "hit"


def test_a_write_committed_before_its_answer_keeps_its_rows_and_callbacks(app, uow_app):
    """``commit_before_answer``: the rows stay loaded, and the request's own callbacks
    still wait for the request's end."""
    response = uow_app.test_client().post("/_uow/early/kept")
    assert response.status_code == 200 and response.json == {"statements": 0}
    assert _stored(app, "early-kept") == 1
    assert uow_app.config["CALLBACKS"] == ["kept"]


def test_an_answer_that_fails_after_the_early_commit_keeps_the_write(app, uow_app):
    """The trade it makes, as a redirect's next page does: the write is kept, the
    answer is the error page, and the callbacks of the failed request do not run."""
    assert uow_app.test_client().post("/_uow/early/raise").status_code == 500
    assert _stored(app, "early-raise") == 1
    assert "CALLBACKS" not in uow_app.config


COMMITS = {"commit", "commit_before_answer"}


def _name(called) -> str | None:
    return getattr(called, "attr", None) or getattr(called, "id", None)


def _commits_in_views():
    """Each commit in a view module (``.commit()`` or ``commit_before_answer()``):
    (module, line, the line's text)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "view" not in str(relative) and "blueprint" not in str(relative):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.Call) and _name(node.func) in COMMITS:
                yield str(relative), node.lineno, lines[node.lineno - 1]


def test_views_leave_the_commit_to_the_request():
    """A view that must commit early says why on that line: ``# commit: <reason>``."""
    commits = list(_commits_in_views())
    unexplained = [f"{module}:{line}" for module, line, text in commits
                   if JUSTIFICATION not in text]
    assert unexplained == []
    # The scan itself works: it finds the commits views keep (commenting, supporting).
    assert [module for module, _line, _text in commits] == [
        "comments/views.py", "proposals/views/detail.py"]
