"""Public pages of the plan: home, policy area, measure, priority item, districts.

Features add their sections (a measure's evaluations, proposals, projects …)
through core/sections.py, so plan imports none of them.
"""

from __future__ import annotations

from flask import render_template, request

from komoro_engage.core.fragments import from_plan
from komoro_engage.core.htmx import render
from komoro_engage.core.page_cache import for_visitors
from komoro_engage.core.sections import sections_for
from komoro_engage.extensions import db
from komoro_engage.plan import queries
from komoro_engage.plan.models import PolicyArea, PriorityItem


@for_visitors
def home():
    """The plan at a glance, built once per language until the plan changes."""
    return render("plan/home.html", plan_part=from_plan(("home",), _home_plan),
                  sections=sections_for("plan.home", None))


def _home_plan() -> str:
    edition = queries.current_edition()
    return render_template("plan/_home_plan.html", vision=queries.vision(), edition=edition,
                           areas=queries.policy_areas(), items=queries.priority_items(edition))


@for_visitors
def policy_area(number: int):
    edition = queries.current_edition()
    area = db.first_or_404(db.select(PolicyArea).filter_by(number=number))
    return render("plan/area.html", edition=edition, area=area,
                  measures=queries.measures_in_area(edition, area),
                  sections=sections_for("plan.policy_area", area))


@for_visitors
def measure(code: str):
    edition = queries.edition_by_code(request.args.get("edition"))
    measure = queries.measure_detail(edition, code)
    return render("plan/measure.html", edition=edition, measure=measure,
                  items=queries.items_citing(measure),
                  sections=sections_for("plan.measure", measure))


@for_visitors
def priority_item(number: int):
    edition = queries.current_edition()
    item = db.first_or_404(db.select(PriorityItem).filter_by(
        edition_id=edition.id, number=number))
    return render("plan/priority_item.html", edition=edition, item=item,
                  measures=queries.measures_of_item(item),
                  sections=sections_for("plan.priority_item", item))


@for_visitors
def districts():
    return render("plan/districts.html", districts=queries.districts())
