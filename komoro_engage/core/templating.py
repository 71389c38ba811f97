"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask, request

from komoro_engage.core.htmx import wants_fragment
from komoro_engage.core.i18n import current_language, localized


def register(app: Flask) -> None:
    app.jinja_env.filters["normalize_number"] = normalize_number
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["current_language"] = current_language
    # true while rendering the fragment an htmx request gets (for out-of-band updates)
    app.jinja_env.globals["htmx_fragment"] = wants_fragment

    @app.context_processor
    def _request_globals():
        return {"current_path": request.full_path.rstrip("?") if request else "/"}


def normalize_number(value: Decimal | float | int | None) -> str:
    """26.3000 → "26.3", 38279.00 → "38,279": numbers as a person writes them."""
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"
