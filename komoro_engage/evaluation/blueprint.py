"""Every URL of evaluation, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "evaluation.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.evaluation.exports import item_status_label
from komoro_engage.evaluation.views import export, public, staff

bp = blueprint("evaluation", __name__, views=(export, public, staff), urls="""
    # views/export.py
    GET        /staff/evaluation/export/<any(records, indicators, items):kind>.csv       export.export_csv
    GET        /staff/evaluation/export.xlsx                                             export.export_xlsx
    # views/public.py
    GET        /dashboard                                                                public.dashboard
    GET        /evaluations/<int:record_id>                                              public.show
    # views/staff.py
    GET        /staff/evaluation                                                         staff.staff_index
    GET POST   /staff/measures/<int:measure_id>/edit                                     staff.edit_measure
    GET POST   /staff/measures/<int:measure_id>/indicators                               staff.indicators
    GET POST   /staff/indicators/<int:indicator_id>/edit                                 staff.edit_indicator
    POST       /staff/indicators/<int:indicator_id>/actuals                              staff.save_actual
    GET POST   /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>            staff.edit_record
    POST       /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/finalise   staff.finalise
    POST       /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/amend      staff.amend
    GET        /staff/vision-targets                                                     staff.vision_targets
    POST       /staff/vision-targets/<int:target_id>                                     staff.vision_targets
""")

# A record's items' statuses in words, on its page and in the exports alike.
bp.add_app_template_global(item_status_label, "evaluation_item_status")
