"""探す (/staff/find): find any proposal or project, in any status, from one form.

A plain GET form (no JavaScript needed); the reading is in ``staff/find.py``.
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from komoro_engage.accounts.forms import AGE_BAND_LABELS
from komoro_engage.core import clock
from komoro_engage.core.csv_export import csv_response
from komoro_engage.core.htmx import render
from komoro_engage.core.workbook import xlsx_response
from komoro_engage.plan.departments import all_departments
from komoro_engage.plan.menus import filter_choices
from komoro_engage.projects.labels import STATUS_LABELS as PROJECT_STATUS_LABELS
from komoro_engage.proposals.labels import STATUS_LABELS as PROPOSAL_STATUS_LABELS
from komoro_engage.staff import find as finder
from komoro_engage.staff import find_export
from komoro_engage.staff.views import acting_user

KIND_LABELS, EXTRA_STATUS_LABELS = finder.KIND_LABELS, finder.EXTRA_STATUS_LABELS
SORT_LABELS = {"new": _l("新しい順"), "old": _l("古い順"),
               "supported": _l("賛同・参加の多い順"), "title": _l("タイトル順")}


def status_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The status menu's option groups: (heading, [(value, label)]) for proposals, projects."""
    def label(value: str) -> str:
        kind, status = value.split(":")
        names = PROPOSAL_STATUS_LABELS if kind == "proposal" else PROJECT_STATUS_LABELS
        return str(EXTRA_STATUS_LABELS.get(value) or names[status])

    return [(str(KIND_LABELS[kind]), [(value, label(value)) for value in finder.STATUSES
                                      if value.startswith(kind + ":")])
            for kind in finder.KINDS]


@login_required
def find():
    """Search and filter proposals and projects in every status; each links to its page."""
    acting_user()
    filters = finder.FindFilters.from_args(request.args)
    page = finder.find_page(filters)
    menus = filter_choices()
    return render("staff/find.html", filters=filters, page=page, menus=menus,
                  districts={d.id: d for d in menus["districts"]},
                  departments=all_departments(),
                  status_groups=status_groups(), kind_labels=KIND_LABELS,
                  sort_labels=SORT_LABELS, age_labels=AGE_BAND_LABELS,
                  proposal_status_labels=PROPOSAL_STATUS_LABELS,
                  project_status_labels=PROJECT_STATUS_LABELS)


@login_required
def find_export_file(extension: str):
    """What 探す found, every page of it, as a report-ready xlsx or a CSV (same filters)."""
    acting_user()
    filters = finder.FindFilters.from_args(request.args)
    filename = f"find-{clock.now().astimezone(clock.JAPAN):%Y%m%d}.{extension}"
    if extension == "csv":
        return csv_response(find_export.export_rows(filters)[0], filename)
    return xlsx_response(find_export.export_workbook(filters), filename)
