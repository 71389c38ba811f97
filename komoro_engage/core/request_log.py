"""A request id for every request, and one JSON line per request in the log.

The id comes from the reverse proxy (nginx sends its ``$request_id`` as
``X-Request-Id``) when it looks like one, or is made here. It goes back in the
``X-Request-Id`` response header, on the error page (a resident can quote it to
the city), and into every log record made while the request runs: the record
factory below gives each record a ``request_id`` attribute.

Each request ends with one record on the ``komoro_engage.requests`` logger whose
message is a JSON object: time, request id, method, path (no query string, and
tokens in the path masked), endpoint, status, duration, client address and the
signed-in person's id. No email address, name or password is ever logged.

Where logs go is the operator's choice (``LOG_HANDLER``): ``"stderr"`` writes
every record of the app's loggers as a JSON line to stderr (journald keeps it
under systemd); ``"none"`` adds no handler, so the operator routes the loggers
``komoro_engage`` and ``komoro_engage.requests`` with their own logging
configuration. Tests use ``"none"`` and see records only when they ask (caplog).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request
from flask.logging import default_handler
from sqlalchemy import inspect

LOGGER = "komoro_engage.requests"
HEADER = "X-Request-Id"
# What nginx's $request_id looks like (32 hex digits), and other proxies' UUIDs or ids:
# letters, digits and -_.: only, so the id is safe in a header, a page and a log line.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
# URL parts that are credentials (a verification or reset link): masked in the log.
_SECRET_ARGS = ("token", "secret")
_MAX_PATH = 300
_ID, _STARTED = "request_id", "request_started"

log = logging.getLogger(LOGGER)


def init_app(app: Flask) -> None:
    """Call first in ``create_app``: its before_request runs first, its after_request last."""
    _install_record_factory()
    app.before_request(_start)
    app.after_request(_finish)
    app.jinja_env.globals["request_id"] = request_id
    handler = app.config.get("LOG_HANDLER", "stderr")
    if handler not in ("stderr", "none"):
        raise RuntimeError(f"KOMORO_LOG_HANDLER is {handler!r}: give 'stderr' (JSON lines) "
                           "or 'none' (route the komoro_engage loggers yourself)")
    if handler == "stderr":
        _log_to_stderr(app, app.config.get("LOG_LEVEL", "INFO"))


def request_id() -> str:
    """This request's id: the proxy's when it sent a sane one, else a new random one."""
    if _ID not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if _SANE_ID.fullmatch(incoming) else secrets.token_hex(16)
    return g.request_id


def elapsed_seconds() -> float:
    """Seconds since this request began (as seen by the app)."""
    return time.perf_counter() - g.get(_STARTED, time.perf_counter())


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    if log.isEnabledFor(logging.INFO):
        log.info(json.dumps(_entry(response), ensure_ascii=False))
    return response


def _entry(response: Response) -> dict:
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "request_id": request_id(),
        "method": request.method,
        "path": logged_path(),
        "endpoint": request.endpoint,
        "status": response.status_code,
        "duration_ms": round(elapsed_seconds() * 1000, 1),
        "client": request.remote_addr,
        "user_id": _signed_in_user_id(),
    }


def _signed_in_user_id() -> int | None:
    """The id of the person Flask-Login loaded for this request, read without a query.

    A request that never looked (a static file, /healthz) does not load them just
    for the log; and after the commit the row is expired, so ``user.id`` or
    ``is_active`` would query again: the id comes from the identity map instead.
    """
    user = g.get("_login_user")
    if user is None or user.is_anonymous:
        return None
    state = inspect(user, raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def logged_path() -> str:
    """The path without its query string, with credential parts of the URL masked."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if any(word in name for word in _SECRET_ARGS) and isinstance(value, str) and value:
            path = path.replace(value, "[masked]")
    return path if len(path) <= _MAX_PATH else path[:_MAX_PATH] + "…"


class JsonLineFormatter(logging.Formatter):
    """Every record as one JSON object on one line (a traceback included, escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == LOGGER:  # already a JSON object: the request's line
            return record.getMessage()
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _log_to_stderr(app: Flask, level: str) -> None:
    """JSON lines on stderr for the app's logger and its children (the request log)."""
    logger = logging.getLogger(app.import_name)
    logger.removeHandler(default_handler)  # Flask's plain-text handler would say it twice
    if not any(isinstance(handler, _StderrJsonHandler) for handler in logger.handlers):
        logger.addHandler(_StderrJsonHandler())
    logger.setLevel(level)


class _StderrJsonHandler(logging.StreamHandler):
    """JSON lines to whatever ``sys.stderr`` is now, for the apps that chose "stderr".

    Loggers are shared by every app in a process (tests build several, some with
    production settings), so the choice is checked per record, not per logger.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonLineFormatter())
        self.addFilter(_app_logs_to_stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _app_logs_to_stderr(_record: logging.LogRecord) -> bool:
    return not has_app_context() or current_app.config.get("LOG_HANDLER", "stderr") == "stderr"


_factory_installed = False


def _install_record_factory() -> None:
    """Give every log record made during a request that request's id."""
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def with_request_id(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = request_id() if has_request_context() else None
        return record

    logging.setLogRecordFactory(with_request_id)
    _factory_installed = True
