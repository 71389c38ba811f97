"""One transaction per request: it commits once if the view succeeded, else rolls back.

Views and services only write (services flush); the request decides once, after
the view, as Indico's request handler does. A response under 400 (a page, a
redirect) commits; anything else rolls back: an exception, ``abort(403)``, an
error page, a form sent back with its errors as 422. So a view that fails half-way
leaves nothing behind, and no view has to remember to commit.

A commit that fails (a race on a unique constraint, a lost connection) is rolled
back and answered with the error page, and the success message the view flashed
goes with it: a response never claims what the database did not keep.

Order matters. This hook is registered last, so it runs first of the
``after_request`` hooks (Flask runs them newest first): the security headers and
the rate limiter's accounting see the final response. The SQLite writer's turn
(``sqlite_engine.py``) ends at this COMMIT or ROLLBACK. Work that must wait for the
data to be kept, such as keeping a page for visitors under the content version
(``page_cache.py``), goes through :func:`on_commit`, so a page is never kept for a
transaction that then rolls back. A streamed body (CSV) is produced after this
hook: it only reads, in a transaction of its own that the request's end closes.

A view that must commit earlier than this says why on the same line, in a comment
starting with ``# commit:`` (``tests/core/test_transaction.py`` holds view modules
to it). CLI commands and the bench are not requests and commit themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy.exc import SQLAlchemyError

from komoro_engage.core.errors import error_page
from komoro_engage.extensions import db
from komoro_engage.sqlite_engine import DISPATCHED, WRITES_ON_GET

ViewFunction = TypeVar("ViewFunction", bound=Callable)
JUSTIFICATION = "# commit:"
_ON_COMMIT = "komoro_on_commit"


def init_app(app: Flask) -> None:
    """Call last in ``create_app``, after every other ``after_request`` hook."""
    app.before_request(lambda: request.environ.__setitem__(DISPATCHED, True))
    app.after_request(finish_request)
    app.teardown_request(lambda _error: g.pop(_ON_COMMIT, None))


def writes_on_get(view: ViewFunction) -> ViewFunction:
    """Mark a GET view that writes (a mailed link followed, an audited look at personal data).

    On SQLite it then queues for the write lock before its first write, as POSTs do
    (``sqlite_engine.py``); unmarked, it could fail with "database is locked".
    """
    setattr(view, WRITES_ON_GET, True)
    return view


def on_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once this request's transaction has committed; never if it rolls back."""
    g.setdefault(_ON_COMMIT, []).append(callback)


def commit_before_answer() -> None:
    """Commit a busy write now, ahead of the request's own commit, keeping the loaded rows.

    The request's commit comes after the answer is rendered, and until then a write
    holds its rows (on PostgreSQL) or the writers' queue (on SQLite): every other
    supporter of the proposal, or every other writer, waits out this render. The
    busiest writes (supporting, commenting) answer with a fragment of the page: they
    commit first and render after, as a page without JavaScript renders after its
    redirect. A commit normally expires the loaded rows, and the answer would read
    them again for values this request already holds (a counter comes back from its
    ``UPDATE … RETURNING``). The request's own commit is then empty; its
    :func:`on_commit` callbacks still run after it.

    Each caller in a view says why on the same line (``# commit: <reason>``).
    """
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def finish_request(response: Response) -> Response:
    """Commit for a success or a redirect, roll back for anything else."""
    callbacks = g.pop(_ON_COMMIT, [])
    opened = db.session.registry.has()
    if response.status_code >= 400:
        if opened:
            db.session.rollback()
        return response
    if opened:
        try:
            db.session.commit()
        except SQLAlchemyError as error:
            return _commit_failed(error)
    for callback in callbacks:
        callback()
    return response


def _commit_failed(error: SQLAlchemyError) -> Response:
    # Not the database's message: PostgreSQL's quotes the row ("Failing row contains …"),
    # emails and password hashes included. The kind, SQLSTATE and constraint say enough.
    cause = getattr(error, "orig", None) or error
    current_app.logger.error(
        "The request's commit failed; rolled back: %s (SQLSTATE %s, constraint %s)",
        type(cause).__name__, getattr(cause, "sqlstate", None),
        getattr(getattr(cause, "diag", None), "constraint_name", None))
    db.session.rollback()
    session.pop("_flashes", None)  # "saved" must not show on the next page
    return current_app.make_response(error_page(500))
