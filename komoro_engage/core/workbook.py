"""Report-ready spreadsheets: what every xlsx the city pastes into a report shares.

A bold, shaded header row, column widths, wrapped text, frozen panes, A4 printing fitted
to the page width with the header repeated on each page, numbers stored as numbers, and
no formula anywhere (text that starts with ``=`` stays text). The evaluation workbook
and the staff console's list exports are built with these.
"""

from __future__ import annotations

import io
import re
from datetime import date

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
HEADER_FONT = Font(bold=True)
UNDERLINE = Border(bottom=Side(style="thin", color="4A5A6A"))
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
PERCENT = "0.0%"
COUNT = "#,##0"
DECIMAL = "#,##0.0###"
DATE = "yyyy-mm-dd"


def style_header(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        if cell.value is not None:
            cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, UNDERLINE
            cell.alignment = Alignment(wrap_text=True, vertical="center")


def set_widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def finish_sheet(sheet: Worksheet, *, freeze: str, landscape: bool,
                 header_row: int | None = 1) -> None:
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


def append_row(sheet: Worksheet, row: list) -> None:
    """Append a row; text that looks like a formula stays text (openpyxl would run it)."""
    sheet.append([excel_value(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def excel_value(value):
    """Numbers stay numbers in Excel (Decimals and numeric text too); the rest is text."""
    if value is None or isinstance(value, int | float | date):
        return value
    if hasattr(value, "normalize"):
        return float(value)
    text = str(value)
    return float(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text


def to_bytes(book: Workbook) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def xlsx_response(body: bytes, filename: str) -> Response:
    """A workbook download; ``filename`` is ASCII. Exports may hold what a person may not
    share, so no cache keeps them (as ``core/csv_export.py``)."""
    return Response(body, mimetype=XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})
