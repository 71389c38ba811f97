"""Every URL of plan, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "plan.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.plan import views

bp = blueprint("plan", __name__, views=(views,), urls="""
    GET   /                               views.home
    GET   /plan/areas/<int:number>        views.policy_area
    GET   /plan/measures/<code>           views.measure
    GET   /plan/priorities/<int:number>   views.priority_item
    GET   /plan/districts                 views.districts
""")
