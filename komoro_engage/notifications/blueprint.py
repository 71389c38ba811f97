"""Every URL of notifications, listed in one place: (rule, view, methods).

The endpoint of each is "notifications.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.notifications import views

bp = Blueprint("notifications", __name__)

BOTH, GET, POST = ("GET", "POST"), ("GET",), ("POST",)
URLS = (
    # views.py
    ("/notifications", views.index, GET),
    ("/notifications/<int:notification_id>", views.follow, GET),
    ("/notifications/<int:notification_id>/read", views.mark_read, POST),
    ("/notifications/read-all", views.mark_all_read, POST),
    ("/account/notifications", views.preferences, BOTH),
    ("/unsubscribe/<token>", views.unsubscribe, BOTH),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)
