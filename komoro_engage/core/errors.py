"""Error pages in the site's own layout, in the user's language."""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from komoro_engage.core.request_log import request_id
from komoro_engage.extensions import db

MESSAGES = {
    400: lambda: _("リクエストを処理できませんでした。"),
    403: lambda: _("この操作を行う権限がありません。"),
    404: lambda: _("お探しのページは見つかりませんでした。"),
    405: lambda: _("このアドレスではその操作はできません。"),
    413: lambda: _(
        "送信されたデータが大きすぎます（写真は1枚%(photo)dMBまで、1回の送信で合計%(total)dMBまで）。"
        "前のページに戻り、写真を減らすか縮小してからもう一度送信してください。",
        photo=current_app.config["MAX_PHOTO_BYTES"] // 2**20,
        total=current_app.config["MAX_CONTENT_LENGTH"] // 2**20,
    ),
    429: lambda: _("操作の回数が多すぎます。しばらく待ってからもう一度お試しください。"),
    500: lambda: _("システムでエラーが発生しました。時間をおいてもう一度お試しください。"),
}


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def error_page(status: int):
    """The error page for ``status`` where no exception carries it (a failed commit)."""
    return _page(status, MESSAGES[status]())


def _page(status: int, message: str, title: str | None = None):
    wants_json = request.path.startswith("/api/") or request.accept_mimetypes.best == (
        "application/json"
    )
    if wants_json:
        return {"error": {"status": status, "message": message,
                          "request_id": request_id()}}, status
    return render_template(
        "errors/error.html", status=status, message=message, title=title
    ), status


def _csrf_error(error: CSRFError):
    return _page(
        400,
        _("フォームの有効期限が切れたか、このサイト以外から送信されました。"
          "前のページに戻り、再読み込みしてからもう一度送信してください。"),
        title=_("フォームを送信できませんでした"),
    )


def _http_error(error: HTTPException):
    status = error.code or 500
    if status == 429 and error.response is not None:
        return error.response  # a limit's own page (sign-in: the form, saying what to do)
    message = MESSAGES.get(status, lambda: error.description)()
    if status == 429:
        return _too_many_requests(message)
    if status == 413:
        _drain_request_body(2 * current_app.config["MAX_CONTENT_LENGTH"])
    return _page(status, message)


def _drain_request_body(max_bytes: int) -> None:
    """Read (and drop) what the client is still sending, up to ``max_bytes``.

    A server that answers 413 and closes while the body is still arriving makes
    nginx in front answer 502 instead of our page. nginx caps the body just
    above our limit, so this reads at most a few megabytes more.
    """
    stream = request.environ.get("wsgi.input")
    remaining = request.content_length or 0
    if stream is None or not 0 < remaining <= max_bytes:
        return
    while remaining > 0:
        chunk = stream.read(min(remaining, 1 << 16))
        if not chunk:
            return
        remaining -= len(chunk)


def _too_many_requests(message: str):
    """429 with the wait in words and in ``Retry-After`` (seconds)."""
    from komoro_engage.extensions import limiter

    current = limiter.current_limit
    wait = max(1, int(current.reset_at - time.time())) if current else 60
    message = message + " " + _("約%(minutes)d分後にもう一度お試しください。",
                                minutes=max(1, math.ceil(wait / 60)))
    response, status = _page(429, message)
    return response, status, {"Retry-After": str(wait)}


def _unexpected_error(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):  # pragma: no cover - routed above
        return _http_error(error)
    current_app.logger.exception("Unhandled error")
    # Tests see the real exception unless they ask for the error page.
    if current_app.testing and current_app.config.get("PROPAGATE_EXCEPTIONS") is not False:
        raise error
    return _page(500, MESSAGES[500]())
