"""Every URL of media, listed in one place: (rule, view, methods).

The endpoint of each is "media.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.media import views

bp = Blueprint("media", __name__, url_prefix="/media")

GET = ("GET",)
URLS = (
    # views.py
    ("/<key>", views.photo, GET),
    ("/<key>/thumb", views.thumbnail, GET),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)
