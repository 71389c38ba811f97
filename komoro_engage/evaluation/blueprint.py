"""Every URL of evaluation, listed in one place: (rule, view, methods).

The endpoint of each is "evaluation.<view name>".
"""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.evaluation.views import export, public, staff

bp = Blueprint("evaluation", __name__)

BOTH, GET, POST = ("GET", "POST"), ("GET",), ("POST",)
URLS = (
    # views/export.py
    ("/staff/evaluation/export/<any(records, indicators, items):kind>.csv", export.export_csv, GET),
    ("/staff/evaluation/export.xlsx", export.export_xlsx, GET),
    # views/public.py
    ("/dashboard", public.dashboard, GET),
    ("/evaluations/<int:record_id>", public.show, GET),
    # views/staff.py
    ("/staff/evaluation", staff.staff_index, GET),
    ("/staff/measures/<int:measure_id>/edit", staff.edit_measure, BOTH),
    ("/staff/measures/<int:measure_id>/indicators", staff.indicators, BOTH),
    ("/staff/indicators/<int:indicator_id>/edit", staff.edit_indicator, BOTH),
    ("/staff/indicators/<int:indicator_id>/actuals", staff.save_actual, POST),
    ("/staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>", staff.edit_record, BOTH),
    ("/staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/finalise",
     staff.finalise, POST),
    ("/staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/amend", staff.amend, POST),
)
for _rule, _view, _methods in URLS:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)
