"""Staff downloads: records, indicators and linked items as CSV; records as an Excel workbook."""

from __future__ import annotations

from flask import abort
from flask_login import current_user, login_required

from komoro_engage.core.csv_export import csv_response
from komoro_engage.core.numbers import int_arg
from komoro_engage.core.workbook import xlsx_response
from komoro_engage.evaluation import exports, permissions, queries, workbook
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY

CSV_KINDS = ("records", "indicators", "items")


def _selection():
    """The current edition's finalised records, for one fiscal year if one is asked for."""
    if not permissions.can_manage(current_user):
        abort(403)
    year = int_arg("fiscal_year", FIRST_FY, LAST_FY)
    edition = plan_queries.current_edition()
    return year, edition, queries.records(fiscal_year=year, edition=edition)


@login_required
def export_csv(kind: str):
    """One of the CSV files (UTF-8 with a BOM for Excel; formula-like text neutralised)."""
    year, edition, records = _selection()
    if kind == "indicators":
        rows = exports.indicator_rows(queries.edition_measures(edition, with_indicators=True))
    elif kind == "items":
        rows = exports.item_rows(records)
    else:
        rows = exports.record_rows(records)
    suffix = f"-{year}" if year else ""
    return csv_response(rows, f"evaluation-{kind}{suffix}.csv")


@login_required
def export_xlsx():
    """The workbook: an overview sheet and an evaluation sheet per measure."""
    year, edition, records = _selection()
    measures = queries.edition_measures(edition, with_indicators=True)
    suffix = f"-{year}" if year else ""
    return xlsx_response(workbook.to_workbook(records, measures), f"evaluation{suffix}.xlsx")
