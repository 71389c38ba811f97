"""The app exactly as the product builds it, plus two measuring aids that exist only here.

- ``/bench/bare``: the cheapest route the same app can serve (same middleware,
  security headers, session handling), the ceiling every page is compared to;
- ``X-Query-Count``: the number of SQL statements a request ran, counted with a
  SQLAlchemy event on this app's engine (transaction control left out, as in
  the test suite's ``count_queries``).

Serve it with ``gunicorn 'bench.wsgi:create_bench_app()'``; the benchmark does.
"""

from __future__ import annotations

from flask import Flask, g, has_app_context
from sqlalchemy import event

from komoro_engage import create_app
from komoro_engage.extensions import db

CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "PRAGMA")


def bare():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


def create_bench_app(config_name: str | None = None, **overrides) -> Flask:
    """``create_app`` (settings from ``KOMORO_*``) plus the bare route and the query header."""
    app = create_app(config_name, **overrides)
    app.add_url_rule("/bench/bare", "bench_bare", bare)
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args):
        if has_app_context() and not statement.lstrip().upper().startswith(CONTROL):
            g.bench_queries = g.get("bench_queries", 0) + 1

    @app.after_request
    def _query_count_header(response):
        response.headers["X-Query-Count"] = str(g.get("bench_queries", 0))
        return response

    return app

