"""The evaluation workbook, ready to print and paste into the city's report (issue 23).

An overview sheet (one row per record), an indicators sheet, and a sheet per measure.
Every sheet: a styled header row, column widths, wrapped long text, frozen panes, A4
print set-up fitted to the page width with the header repeated, numbers stored as
numbers with formats (達成率 as a percentage), and no formula anywhere.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from komoro_engage.core.workbook import (
    COUNT,
    DATE,
    DECIMAL,
    PERCENT,
    TOP,
    WRAP,
    append_row,
    finish_sheet,
    set_widths,
    style_header,
    to_bytes,
)
from komoro_engage.evaluation import exports
from komoro_engage.evaluation.participation import FIGURE_KEYS
from komoro_engage.plan.indicators import achievement_note


def to_workbook(records, measures) -> bytes:
    """The overview, the indicators and an evaluation sheet per measure with a record."""
    book = Workbook()
    _overview(book.active, records)
    _indicators(book.create_sheet(_("指標")), measures)
    by_measure: dict[int, list] = {}
    for record in records:
        by_measure.setdefault(record.measure_id, []).append(record)
    for measure in measures:
        if mine := by_measure.get(measure.id):
            _measure_sheet(book.create_sheet(_sheet_title(measure)), measure, mine)
    return to_bytes(book)


def _overview(sheet: Worksheet, records) -> None:
    sheet.title = _("一覧")
    rows = exports.record_rows(records)
    for row in rows:
        append_row(sheet, row)
    style_header(sheet, 1)
    # 年度, 和暦, code, title, rating, Check, Act, figures…, date, amendments, reason
    widths = [8, 20, 9, 30, 14, 50, 50] + [11] * (len(rows[0]) - 10) + [12, 6, 30]
    set_widths(sheet, widths)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP if isinstance(cell.value, str) else TOP
            if isinstance(cell.value, date):
                cell.number_format = DATE
            elif isinstance(cell.value, int | float) and cell.column > 1:
                cell.number_format = COUNT
    finish_sheet(sheet, freeze="E2", landscape=True)


def _indicators(sheet: Worksheet, measures) -> None:
    rows = exports.indicator_rows(measures)
    rate_column = rows[0].index(_("達成率(%)")) + 1
    rows[0][rate_column - 1] = _("達成率")
    for row in rows[1:]:
        row[rate_column - 1] = exports.rate_fraction(row[rate_column - 1])
    for row in rows:
        append_row(sheet, row)
    style_header(sheet, 1)
    sheet.cell(1, rate_column).comment = Comment(achievement_note(), "komoro_engage")
    set_widths(sheet, [9, 36, 8, 12, 10, 9, 10, 9, 8, 10, 9, 24, 24])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP if isinstance(cell.value, str) else TOP
            if cell.column == rate_column and cell.value is not None:
                cell.number_format = PERCENT
            elif isinstance(cell.value, float):
                cell.number_format = DECIMAL
    finish_sheet(sheet, freeze="C2", landscape=True)


def _measure_sheet(sheet: Worksheet, measure, records) -> None:
    append_row(sheet, [f"{_('施策')}{measure.code} {measure.title}"])
    sheet["A1"].font = Font(bold=True, size=14)
    for record in records:
        shown = record.latest_amendment or record
        sheet.append([])
        append_row(sheet, [exports.fiscal_year_words(record.fiscal_year)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        append_row(sheet, [_("評価"), f"{shown.rating.code} {shown.rating.label}"
                         if shown.rating else ""])
        for label, text in ((_("評価（Check）"), shown.check_text),
                            (_("今後の方向性（Act）"), shown.act_text)):
            append_row(sheet, [label, text])
            sheet.cell(sheet.max_row, 2).alignment = WRAP
        if record.amendments:
            append_row(sheet, [_("訂正の理由"), record.latest_amendment.reason])
        for key in FIGURE_KEYS:
            append_row(sheet, [str(exports.FIGURE_LABELS[key]), (record.figures or {}).get(key, 0)])
            sheet.cell(sheet.max_row, 2).number_format = COUNT
            sheet.cell(sheet.max_row, 2).alignment = Alignment(horizontal="left")
        if record.indicators:
            _indicator_block(sheet, record.indicators)
    set_widths(sheet, [26, 60, 10, 10, 10, 10, 24])
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].alignment = WRAP
    finish_sheet(sheet, freeze="A2", landscape=False, header_row=None)


def _indicator_block(sheet: Worksheet, indicators: list[dict]) -> None:
    """The record's frozen indicators under a header: labelled, numbers as numbers."""
    sheet.append([])
    append_row(sheet, [_("指標"), _("実績値"), _("単位"), _("基準値"), _("目標値"), _("達成率"),
                    _("出典")])
    style_header(sheet, sheet.max_row)
    sheet.cell(sheet.max_row, 6).comment = Comment(achievement_note(), "komoro_engage")
    for row in indicators:
        append_row(sheet, [row["name"], row["actual"], row["unit"], row.get("baseline_value"),
                        row.get("target_value"), exports.rate_fraction(row["achievement"]),
                        row["source"]])
        sheet.cell(sheet.max_row, 1).alignment = WRAP
        sheet.cell(sheet.max_row, 6).number_format = PERCENT
        for column in (2, 4, 5):
            sheet.cell(sheet.max_row, column).number_format = DECIMAL
    append_row(sheet, [_("達成率の計算"), achievement_note()])
    sheet.cell(sheet.max_row, 2).alignment = WRAP


def _sheet_title(measure) -> str:
    return re.sub(r"[\\/*?:\[\]]", "", f"{_('施策')}{measure.code}")[:31]
