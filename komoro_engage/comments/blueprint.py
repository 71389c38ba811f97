"""Every URL of comments, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "comments.<view name>".
"""

from __future__ import annotations

from komoro_engage.comments import views
from komoro_engage.comments.forms import stance_label
from komoro_engage.core.urls import blueprint
from komoro_engage.moderation.reports import can_report

bp = blueprint("comments", __name__, views=(views,), urls="""
    GET POST   /comments/<int:comment_id>/edit     views.edit
    POST       /comments/<int:comment_id>/delete   views.delete
    GET POST   /comments/<int:comment_id>/report   views.report
""")

# A comment's own links are asked in comments/sections.py, once per comment; pages ask
# whether the reader may report at all.
bp.add_app_template_global(can_report, "can_report")
bp.add_app_template_global(stance_label, "comment_stance_label")
