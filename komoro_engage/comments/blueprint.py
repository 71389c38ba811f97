"""Every URL of comments, listed in one place: (rule, view, methods).

The endpoint of each is "comments.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.comments import permissions, views
from komoro_engage.moderation.reports import can_report

bp = Blueprint("comments", __name__)

BOTH, POST = ("GET", "POST"), ("POST",)
URLS = (
    # views.py
    ("/comments/<int:comment_id>/edit", views.edit, BOTH),
    ("/comments/<int:comment_id>/delete", views.delete, POST),
    ("/comments/<int:comment_id>/report", views.report, BOTH),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)

# What comment templates ask, wherever a comment thread is shown.
for _name in ("can_edit_comment", "can_delete_comment"):
    bp.add_app_template_global(getattr(permissions, _name), _name)
bp.add_app_template_global(can_report, "can_report")
bp.add_app_template_filter(lambda value: views.STANCE_LABELS.get(str(value), value), "stance")
