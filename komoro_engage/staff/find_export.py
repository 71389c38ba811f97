"""探す's results as a file: what staff see on /staff/find, every page of it, for a report.

The same filters and order as the page (``staff/find.py``), so a download is what the
search showed. Words, not codes: the kind, the status and the district in the reader's
language, the measures by their codes as the plan prints them, dates as dates, counts as
numbers. The xlsx is report-ready (``core/workbook.py``); the CSV is the same rows.
Four statements whatever the size: the rows, the measures of the proposals and of the
projects among them, and the proposals' current 担当課 with its due date.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from komoro_engage.core.clock import JAPAN, as_utc
from komoro_engage.core.i18n import localized
from komoro_engage.core.workbook import (
    COUNT,
    DATE,
    TOP,
    WRAP,
    append_row,
    finish_sheet,
    set_widths,
    style_header,
    to_bytes,
)
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department
from komoro_engage.plan.menus import filter_choices
from komoro_engage.plan.models import Measure
from komoro_engage.projects.labels import STATUS_LABELS as PROJECT_STATUS_LABELS
from komoro_engage.projects.models import project_measure
from komoro_engage.proposals.labels import STATUS_LABELS as PROPOSAL_STATUS_LABELS
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.staff.find import (
    EXTRA_STATUS_LABELS,
    KIND_LABELS,
    SENT_BACK,
    FindFilters,
    found_rows,
    review_of,
)
from komoro_engage.staff.handling_models import ProposalAssignment

# A year of a busy city's proposals and projects; more is a sign the filters are too wide.
EXPORT_LIMIT = 5000
WIDTHS = [12, 8, 44, 16, 14, 12, 12, 18, 18, 12, 40]


def _header() -> list[str]:
    return [_("種別"), _("番号"), _("タイトル"), _("状態"), _("地区"), _("登録日"),
            _("賛同・参加の数"), _("施策"), _("担当課"), _("回答期限"), _("ページ")]


def _status(row) -> str:
    if row.kind == "proposal":
        if row.status == "draft":
            return str(EXTRA_STATUS_LABELS[f"proposal:{SENT_BACK}"])
        return str(PROPOSAL_STATUS_LABELS.get(row.status, row.status))
    words = str(PROJECT_STATUS_LABELS.get(row.status, row.status))
    review = review_of(row)
    return f"{words} / {EXTRA_STATUS_LABELS[f'project:review_{review}']}" if review else words


def _measure_codes(rows) -> dict[tuple[str, int], str]:
    """("proposal" | "project", id) → the codes of its measures, in code order."""
    ids = {kind: [row.id for row in rows if row.kind == kind] for kind in ("proposal", "project")}
    pairs = []
    if ids["proposal"]:
        pairs += [("proposal", *pair) for pair in db.session.execute(
            select(ProposalMeasureLink.proposal_id, Measure.code)
            .join(Measure, Measure.id == ProposalMeasureLink.measure_id)
            .where(ProposalMeasureLink.proposal_id.in_(ids["proposal"]),
                   ProposalMeasureLink.unlinked_at.is_(None)))]
    if ids["project"]:
        pairs += [("project", *pair) for pair in db.session.execute(
            select(project_measure.c.project_id, Measure.code)
            .join(Measure, Measure.id == project_measure.c.measure_id)
            .where(project_measure.c.project_id.in_(ids["project"])))]
    codes: dict[tuple[str, int], list[str]] = {}
    for kind, item_id, code in pairs:
        codes.setdefault((kind, item_id), []).append(code)
    return {key: ", ".join(sorted(found)) for key, found in codes.items()}


def _departments(rows) -> dict[int, tuple[str, object]]:
    """proposal id → (its current 担当課 in the reader's language, the due date or None)."""
    ids = [row.id for row in rows if row.kind == "proposal"]
    if not ids:
        return {}
    return {proposal_id: (localized(department, "name"),
                          as_utc(due).astimezone(JAPAN).date() if due else None)
            for proposal_id, department, due in db.session.execute(
                select(ProposalAssignment.proposal_id, Department, ProposalAssignment.due_at)
                .join(Department, Department.id == ProposalAssignment.department_id)
                .where(ProposalAssignment.proposal_id.in_(ids), ProposalAssignment.is_current))}


def export_rows(filters: FindFilters) -> tuple[list[list], bool]:
    """The header and a row per match (at most :data:`EXPORT_LIMIT`); True when cut short."""
    rows = found_rows(filters, EXPORT_LIMIT + 1)
    cut = len(rows) > EXPORT_LIMIT
    rows = rows[:EXPORT_LIMIT]
    districts = {d.id: localized(d, "label") for d in filter_choices()["districts"]}
    codes, routed = _measure_codes(rows), _departments(rows)
    table = [_header()]
    for row in rows:
        page = (url_for("proposals.detail", proposal_id=row.id, _external=True)
                      if row.kind == "proposal"
                      else url_for("projects.detail", project_id=row.id, _external=True))
        created = as_utc(row.created_at).astimezone(JAPAN).date()
        table.append([str(KIND_LABELS[row.kind]), row.id, row.title, _status(row),
                      districts.get(row.district_id, _("市全域")), created, row.score,
                      codes.get((row.kind, row.id), ""),
                      *(routed.get(row.id, ("", None)) if row.kind == "proposal" else ("", None)),
                      page])
    return table, cut


def export_workbook(filters: FindFilters) -> bytes:
    table, cut = export_rows(filters)
    book = Workbook()
    sheet = book.active
    sheet.title = _("探す")
    for row in table:
        append_row(sheet, row)
    style_header(sheet, 1)
    set_widths(sheet, WIDTHS)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = WRAP if cell.column == 3 else TOP
        cells[5].number_format, cells[6].number_format = DATE, COUNT
        cells[9].number_format = DATE
    finish_sheet(sheet, freeze="C2", landscape=True)
    if cut:
        notes = book.create_sheet(_("注意"))
        append_row(notes, [_("結果が%(n)s件を超えたため、先頭の%(n)s件だけを出力しました。"
                             "条件を絞ってください。", n=f"{EXPORT_LIMIT:,}")])
    return to_bytes(book)
