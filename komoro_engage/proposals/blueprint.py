"""Every URL of proposals, listed in one place: (rule, view, methods).

The endpoint of each is "proposals.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.proposals import labels
from komoro_engage.proposals.views import engagement, pages

bp = Blueprint("proposals", __name__)

BOTH, GET, POST = ("GET", "POST"), ("GET",), ("POST",)
URLS = (
    # views/engagement.py
    ("/proposals/<int:proposal_id>", engagement.detail, GET),
    ("/proposals/<int:proposal_id>/support", engagement.support, POST),
    ("/proposals/<int:proposal_id>/unsupport", engagement.unsupport, POST),
    ("/proposals/<int:proposal_id>/comments", engagement.comment, POST),
    ("/proposals/<int:proposal_id>/report", engagement.report_proposal, BOTH),
    # views/pages.py
    ("/proposals", pages.index, GET),
    ("/proposals/mine", pages.mine, GET),
    ("/proposals/new", pages.new, BOTH),
    ("/proposals/<int:proposal_id>/edit", pages.edit, BOTH),
    ("/proposals/<int:proposal_id>/submit", pages.submit, POST),
    ("/proposals/<int:proposal_id>/withdraw", pages.withdraw, POST),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)

labels.register(bp)  # status names, permission predicates for templates
