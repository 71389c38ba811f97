"""Every URL of comments, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "comments.<view name>".
"""

from __future__ import annotations

from komoro_engage.comments import forms, permissions, views
from komoro_engage.core.urls import blueprint
from komoro_engage.moderation.reports import can_report

bp = blueprint("comments", __name__, views=(views,), urls="""
    GET POST   /comments/<int:comment_id>/edit     views.edit
    POST       /comments/<int:comment_id>/delete   views.delete
    GET POST   /comments/<int:comment_id>/report   views.report
""")

# What comment templates ask, wherever a comment thread is shown.
for _name in ("can_edit_comment", "can_delete_comment"):
    bp.add_app_template_global(getattr(permissions, _name), _name)
bp.add_app_template_global(can_report, "can_report")
bp.add_app_template_filter(lambda value: forms.STANCE_LABELS.get(str(value), value), "stance")
