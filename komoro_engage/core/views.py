"""Routes that belong to no feature: health check and language choice."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, request
from sqlalchemy import text

from komoro_engage.core.i18n import LANG_COOKIE, LANG_COOKIE_MAX_AGE
from komoro_engage.core.redirects import safe_next
from komoro_engage.extensions import db


def healthz():
    """Liveness and database reachability, for load balancers and monitors."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "unhealthy"
        current_app.logger.warning("healthz: database check failed: %s", error)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


def set_language():
    """Remember the chosen language in a cookie and go back where the user was."""
    lang = request.form.get("lang", "")
    response = redirect(safe_next(request.form.get("next")))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response
