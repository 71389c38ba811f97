"""Every URL of evaluation, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "evaluation.<view name>".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from komoro_engage.core.urls import blueprint
from komoro_engage.evaluation.exports import item_status_label
from komoro_engage.evaluation.views import approval, export, public, staff

bp = blueprint("evaluation", __name__, views=(approval, export, public, staff), urls="""
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
    GET        /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/preview    approval.preview
    POST       /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/finalise   approval.finalise
    POST       /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/submit     approval.submit
    POST       /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/approve    approval.approve
    POST       /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/return     approval.send_back
    POST       /staff/measures/<int:measure_id>/evaluations/<int:fiscal_year>/amend      staff.amend
    GET        /staff/vision-targets                                                     staff.vision_targets
    POST       /staff/vision-targets/<int:target_id>                                     staff.choose_vision_indicator
""")

# A record's items' statuses in words, on its page and in the exports alike.
bp.add_app_template_global(item_status_label, "evaluation_item_status")

# Where a record stands, in words (the preview's banner).
RECORD_STATE_LABELS = {"draft": _l("作成中"), "submitted": _l("決裁待ち"), "finalised": _l("確定")}
bp.add_app_template_filter(lambda value: RECORD_STATE_LABELS.get(str(value), value),
                           "evaluation_record_state")
# The record's steps in the audit log, as its preview lists them for staff.
STEP_LABELS = {
    "evaluation.created": _l("作成"), "evaluation.draft_saved": _l("下書きの保存"),
    "evaluation.submitted": _l("決裁に回付"), "evaluation.returned": _l("差し戻し"),
    "evaluation.approved": _l("承認"), "evaluation.finalised": _l("確定"),
    "evaluation.amended": _l("訂正"),
}
bp.add_app_template_filter(lambda value: STEP_LABELS.get(str(value), value),
                           "evaluation_step")
