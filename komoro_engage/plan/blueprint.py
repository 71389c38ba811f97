"""Every URL of plan, listed in one place: (rule, view, methods).

The endpoint of each is "plan.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.plan import views

bp = Blueprint("plan", __name__)

GET = ("GET",)
URLS = (
    # views.py
    ("/", views.home, GET),
    ("/plan/areas/<int:number>", views.policy_area, GET),
    ("/plan/measures/<code>", views.measure, GET),
    ("/plan/priorities/<int:number>", views.priority_item, GET),
    ("/plan/districts", views.districts, GET),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)
