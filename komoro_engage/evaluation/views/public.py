"""Public pages: the 見える化 dashboard and a finalised evaluation record."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from komoro_engage.core import clock
from komoro_engage.core.htmx import render
from komoro_engage.core.numbers import int_arg, page_number
from komoro_engage.core.page_cache import for_visitors
from komoro_engage.core.sections import sections_for
from komoro_engage.evaluation import permissions, queries
from komoro_engage.evaluation.dashboard import build_dashboard
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY, fiscal_year_of

ITEMS_PER_PAGE = 50


@for_visitors
def dashboard():
    """Every policy area and priority item with its measures' ratings, indicators and
    participation for a fiscal year, and the trend over the years."""
    year = int_arg("fiscal_year", FIRST_FY, LAST_FY)
    board = build_dashboard(year, fiscal_year_of(clock.now()))
    return render("evaluation/dashboard.html", board=board,
                  sections=sections_for("evaluation.dashboard", board.year))


def show(record_id: int):
    """One record with its amendments beside it; drafts are visible to staff only."""
    record = queries.record_by_id(record_id)
    if not permissions.can_view_record(current_user, record):
        abort(404)
    items = queries.public_items([record])[record.id]
    pages = max(1, -(-len(items) // ITEMS_PER_PAGE))
    page = min(page_number(request.args.get("page")), pages)
    return render("evaluation/record.html", record=record, item_count=len(items),
                  items=items[(page - 1) * ITEMS_PER_PAGE:page * ITEMS_PER_PAGE],
                  page=page, pages=pages, can_manage=permissions.can_manage(current_user),
                  sections=sections_for("evaluation.record", record))
