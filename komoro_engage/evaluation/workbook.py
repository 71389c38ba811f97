"""The evaluation workbook, ready to print and paste into the city's report (issue 23).

An overview sheet (one row per record), an indicators sheet, and a sheet per measure.
Every sheet: a styled header row, column widths, wrapped long text, frozen panes, A4
print set-up fitted to the page width with the header repeated, numbers stored as
numbers with formats (達成率 as a percentage), and no formula anywhere.
"""

from __future__ import annotations

import io
import re
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from komoro_engage.evaluation import exports
from komoro_engage.evaluation.participation import FIGURE_KEYS
from komoro_engage.plan.indicators import achievement_note

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
HEADER_FONT = Font(bold=True)
UNDERLINE = Border(bottom=Side(style="thin", color="4A5A6A"))
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
PERCENT = "0.0%"
COUNT = "#,##0"
DECIMAL = "#,##0.0###"
DATE = "yyyy-mm-dd"


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
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _overview(sheet: Worksheet, records) -> None:
    sheet.title = _("一覧")
    rows = exports.record_rows(records)
    for row in rows:
        _append(sheet, row)
    _header(sheet, 1)
    # 年度, 和暦, code, title, rating, Check, Act, figures…, date, amendments, reason
    widths = [8, 20, 9, 30, 14, 50, 50] + [11] * (len(rows[0]) - 10) + [12, 6, 30]
    _widths(sheet, widths)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP if isinstance(cell.value, str) else TOP
            if isinstance(cell.value, date):
                cell.number_format = DATE
            elif isinstance(cell.value, int | float) and cell.column > 1:
                cell.number_format = COUNT
    _finish(sheet, freeze="E2", landscape=True)


def _indicators(sheet: Worksheet, measures) -> None:
    rows = exports.indicator_rows(measures)
    rate_column = rows[0].index(_("達成率(%)")) + 1
    rows[0][rate_column - 1] = _("達成率")
    for row in rows[1:]:
        row[rate_column - 1] = exports.rate_fraction(row[rate_column - 1])
    for row in rows:
        _append(sheet, row)
    _header(sheet, 1)
    sheet.cell(1, rate_column).comment = Comment(achievement_note(), "komoro_engage")
    _widths(sheet, [9, 36, 8, 12, 10, 9, 10, 9, 8, 10, 9, 24, 24])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP if isinstance(cell.value, str) else TOP
            if cell.column == rate_column and cell.value is not None:
                cell.number_format = PERCENT
            elif isinstance(cell.value, float):
                cell.number_format = DECIMAL
    _finish(sheet, freeze="C2", landscape=True)


def _measure_sheet(sheet: Worksheet, measure, records) -> None:
    _append(sheet, [f"{_('施策')}{measure.code} {measure.title}"])
    sheet["A1"].font = Font(bold=True, size=14)
    for record in records:
        shown = record.latest_amendment or record
        sheet.append([])
        _append(sheet, [exports.fiscal_year_words(record.fiscal_year)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        _append(sheet, [_("評価"), f"{shown.rating.code} {shown.rating.label}"
                         if shown.rating else ""])
        for label, text in ((_("評価（Check）"), shown.check_text),
                            (_("今後の方向性（Act）"), shown.act_text)):
            _append(sheet, [label, text])
            sheet.cell(sheet.max_row, 2).alignment = WRAP
        if record.amendments:
            _append(sheet, [_("訂正の理由"), record.latest_amendment.reason])
        for key in FIGURE_KEYS:
            _append(sheet, [str(exports.FIGURE_LABELS[key]), (record.figures or {}).get(key, 0)])
            sheet.cell(sheet.max_row, 2).number_format = COUNT
            sheet.cell(sheet.max_row, 2).alignment = Alignment(horizontal="left")
        if record.indicators:
            _indicator_block(sheet, record.indicators)
    _widths(sheet, [26, 60, 10, 10, 10, 10, 24])
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].alignment = WRAP
    _finish(sheet, freeze="A2", landscape=False, header_row=None)


def _indicator_block(sheet: Worksheet, indicators: list[dict]) -> None:
    """The record's frozen indicators under a header: labelled, numbers as numbers."""
    sheet.append([])
    _append(sheet, [_("指標"), _("実績値"), _("単位"), _("基準値"), _("目標値"), _("達成率"),
                    _("出典")])
    _header(sheet, sheet.max_row)
    sheet.cell(sheet.max_row, 6).comment = Comment(achievement_note(), "komoro_engage")
    for row in indicators:
        _append(sheet, [row["name"], row["actual"], row["unit"], row.get("baseline_value"),
                        row.get("target_value"), exports.rate_fraction(row["achievement"]),
                        row["source"]])
        sheet.cell(sheet.max_row, 1).alignment = WRAP
        sheet.cell(sheet.max_row, 6).number_format = PERCENT
        for column in (2, 4, 5):
            sheet.cell(sheet.max_row, column).number_format = DECIMAL
    _append(sheet, [_("達成率の計算"), achievement_note()])
    sheet.cell(sheet.max_row, 2).alignment = WRAP


def _header(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        if cell.value is not None:
            cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, UNDERLINE
            cell.alignment = Alignment(wrap_text=True, vertical="center")


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _finish(sheet: Worksheet, *, freeze: str, landscape: bool, header_row: int | None = 1):
    """Frozen panes and A4 printing fitted to the page's width, the header on every page."""
    sheet.freeze_panes = freeze
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.auto_filter.ref = sheet.dimensions


def _sheet_title(measure) -> str:
    return re.sub(r"[\\/*?:\[\]]", "", f"{_('施策')}{measure.code}")[:31]


def _append(sheet: Worksheet, row: list) -> None:
    """Append a row; text that looks like a formula stays text (openpyxl would run it)."""
    sheet.append([_excel(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _excel(value):
    """Numbers stay numbers in Excel (Decimals and numeric text too); the rest is text."""
    if value is None or isinstance(value, int | float | date):
        return value
    if hasattr(value, "normalize"):
        return float(value)
    text = str(value)
    return float(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text
