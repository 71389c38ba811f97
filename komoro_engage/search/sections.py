"""Links to the free-text map on pages of other packages (core/sections.py): no query;
and the names of the measures and years the map pages are about (core/text_sources.py)."""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from komoro_engage.core.i18n import localized
from komoro_engage.core.sections import Section, register_section
from komoro_engage.core.text_sources import ScopePage, register_scope_page
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY, format_fiscal_year
from komoro_engage.plan.models import Measure


def measure_link(measure) -> Section:
    return Section("search/_map_link.html", {"map_endpoint": "search.measure_map",
                                             "map_ident": measure.id})


def year_link(fiscal_year: int) -> Section:
    return Section("search/_map_link.html", {"map_endpoint": "search.year_map",
                                             "map_ident": fiscal_year})


def measure_page(ident: int) -> ScopePage | None:
    measure = db.session.get(Measure, ident)
    if measure is None:
        return None
    return ScopePage(f"{_('施策')} {measure.code} {localized(measure, 'title')}",
                     url_for("plan.measure", code=measure.code))


def year_page(ident: int) -> ScopePage | None:
    if not FIRST_FY <= ident <= LAST_FY:
        return None
    return ScopePage(format_fiscal_year(ident, str(get_locale() or "ja")),
                     url_for("evaluation.dashboard", fiscal_year=ident))


def register() -> None:
    register_scope_page("measure", measure_page)
    register_scope_page("year", year_page)
    # After the proposals (10) and projects (20) linked to the measure.
    register_section("plan.measure", "text_map", measure_link, order=30)
    register_section("evaluation.dashboard", "text_map", year_link, slot="after_summary",
                     order=10)
