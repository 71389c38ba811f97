"""Every URL of api, listed in one place: (rule, view, methods).

The endpoint of each is "api.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.api.views import evaluations, plan_and_items

bp = Blueprint("api", __name__, url_prefix="/api/v1")

GET = ("GET",)
URLS = (
    # views/evaluations.py
    ("/evaluations", evaluations.evaluations, GET),
    ("/indicators", evaluations.indicators, GET),
    # views/plan_and_items.py
    ("/plan", plan_and_items.plan, GET),
    ("/proposals", plan_and_items.proposals, GET),
    ("/projects", plan_and_items.projects, GET),
    ("/projects/<int:project_id>", plan_and_items.project, GET),
    ("/proposals/<int:proposal_id>", plan_and_items.proposal, GET),
    ("/openapi.json", plan_and_items.openapi, GET),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)
