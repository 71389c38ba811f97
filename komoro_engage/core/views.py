"""Routes that belong to no feature: health, readiness, metrics and language choice."""

from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, request

from komoro_engage.core import display, health, metrics
from komoro_engage.core.htmx import render
from komoro_engage.core.i18n import LANG_COOKIE, LANG_COOKIE_MAX_AGE, language_choices
from komoro_engage.core.redirects import safe_next
from komoro_engage.extensions import limiter

NO_STORE = {"Cache-Control": "no-store"}


@limiter.exempt
def healthz():
    """Liveness: the worker answers. It asks nothing of the database or Redis."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", **NO_STORE}


@limiter.exempt
def readyz():
    """Readiness: 200 when the database (and Redis, if the limits use it) answer, else 503."""
    checks = health.readiness()
    ready = all(outcome != "unreachable" for outcome in checks.values())
    body = jsonify(status="ok" if ready else "unavailable", checks=checks)
    return body, 200 if ready else 503, NO_STORE


@limiter.exempt
def metrics_page():
    """Prometheus metrics, for the operator's token or network only; others get a 404."""
    if not metrics.may_read_metrics():
        abort(404)
    return metrics.exposition(), 200, {
        "Content-Type": "text/plain; version=0.0.4; charset=utf-8", **NO_STORE}


def set_language():
    """Remember the chosen language in a cookie and go back where the user was."""
    lang = request.form.get("lang", "")
    response = redirect(safe_next(request.form.get("next")))
    if lang in language_choices():
        _remember(response, LANG_COOKIE, lang, LANG_COOKIE_MAX_AGE)
    return response


def display_settings():
    """表示設定: language, ふりがな and text size, each a plain form (no JavaScript)."""
    came_from = request.referrer or ""
    if came_from.startswith(request.host_url):  # a page of this site: back there afterwards
        came_from = came_from[len(request.host_url) - 1:]
    else:
        came_from = None
    return render("settings/display.html",
                  next_path=safe_next(request.args.get("next") or came_from))


def set_display():
    """Remember ふりがな on/off and the text size in cookies; back where the reader was."""
    response = redirect(safe_next(request.form.get("next")))
    ruby = request.form.get("ruby")
    if ruby in ("on", "off"):
        _remember(response, display.RUBY_COOKIE, ruby, display.COOKIE_MAX_AGE)
    size = request.form.get("size")
    if size in display.TEXT_SIZES:
        _remember(response, display.SIZE_COOKIE, size, display.COOKIE_MAX_AGE)
    return response


def _remember(response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
