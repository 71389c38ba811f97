"""Every URL of core, listed in one place: (rule, view, methods).

The endpoint of each is "core.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.core import views

bp = Blueprint("core", __name__)

GET, POST = ("GET",), ("POST",)
URLS = (
    # views.py
    ("/healthz", views.healthz, GET),
    ("/lang", views.set_language, POST),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)
