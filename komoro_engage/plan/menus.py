"""Plan rows as public lists and pages show them: the filter menus of the proposal and
project lists, (via ``plan_selects``) the plan rows an item is linked to, and the plan
checkboxes of the forms that link an item to the plan.

Read as plain rows in one UNION query each (not as ORM objects, one query per kind):
a page shows only their ids, codes and names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup
from sqlalchemy import bindparam, literal, select, union_all
from werkzeug.exceptions import NotFound

from komoro_engage.core.forms import choices
from komoro_engage.core.fragments import from_plan
from komoro_engage.core.i18n import localized
from komoro_engage.extensions import db
from komoro_engage.plan import queries
from komoro_engage.plan.models import District, Measure, PlanEdition, PolicyArea, PriorityItem


@dataclass(frozen=True)
class Choice:
    """A plan row as a menu option or a link: ``localized(choice, "label")`` reads like
    the plan row's own localized name."""

    id: int
    code: str
    label: str
    label_en: str | None


def _plan_rows(kind: str, model, number, key, code, name, name_en, *where):
    return select(literal(kind).label("kind"), model.id, number.label("number"),
                  key.label("sort_key"), code.label("code"), name.label("name"),
                  name_en.label("name_en")).where(*where)


def plan_selects(areas: tuple = (), items: tuple = (), measures: tuple = ()) -> list:
    """Policy areas, priority items and measures as rows of one shape, for a UNION."""
    none, zero = literal(""), literal(0)
    return [
        _plan_rows("areas", PolicyArea, PolicyArea.number, none, none, PolicyArea.name,
                   PolicyArea.name_en, *areas),
        _plan_rows("items", PriorityItem, PriorityItem.number, none, none, PriorityItem.title,
                   PriorityItem.title_en, *items),
        _plan_rows("measures", Measure, zero, Measure.sort_key, Measure.code, Measure.title,
                   Measure.title_en, *measures),
    ]


def links_statement(areas: tuple, items: tuple, measures: tuple, *measure_conditions):
    """The policy areas, priority items and measures a proposal or project is linked to,
    as one UNION statement, to build once per kind of subject: building the union of
    three selects cost more Python than running it (issue 16). Each kind is given as its
    link's (subject column, plan column); the subject's id is ``bindparam("subject_id")``.
    ``measure_conditions``: more conditions on the measures' links."""
    subject = bindparam("subject_id")
    return union_all(*plan_selects(
        (areas[0] == subject, areas[1] == PolicyArea.id),
        (items[0] == subject, items[1] == PriorityItem.id),
        (measures[0] == subject, measures[1] == Measure.id, *measure_conditions)))


def links_by(statement, subject_id: int) -> dict[str, list[Choice]]:
    """The links of the subject ``subject_id`` in plan order, through a statement of
    :func:`links_statement` (one query)."""
    rows = db.session.execute(statement, {"subject_id": subject_id}).all()
    return group(rows, ("areas", "items", "measures"), numbered=False)


def group(rows, kinds: tuple[str, ...], numbered: bool) -> dict[str, list[Choice]]:
    """Rows by kind in plan order; ``numbered`` labels read "1. 子育て・教育", "1-2 施策名"."""
    groups: dict[str, list[Choice]] = {kind: [] for kind in kinds}
    for row in sorted(rows, key=lambda row: (row.number, row.sort_key, row.id)):
        if row.kind not in groups:
            continue
        prefix = ""
        if numbered:
            prefix = (f"{row.number}. " if row.kind in ("areas", "items")
                      else f"{row.code} " if row.kind == "measures" else "")
        groups[row.kind].append(Choice(row.id, row.code, prefix + row.name,
                                       prefix + row.name_en if row.name_en else None))
    return groups


def filter_choices() -> dict[str, list[Choice]]:
    """The list's filter menus: areas, the current edition's priority items and measures,
    districts. One query (they were five, with their ORM objects); 404 before the plan
    is seeded, as before.
    """
    edition = select(PlanEdition.id).where(PlanEdition.is_current).limit(1).scalar_subquery()
    none = literal("")
    rows = db.session.execute(union_all(
        _plan_rows("edition", PlanEdition, literal(0), none, none, PlanEdition.name,
                   PlanEdition.name_en, PlanEdition.id == edition),
        *plan_selects(items=(PriorityItem.edition_id == edition,),
                       measures=(Measure.edition_id == edition,)),
        _plan_rows("districts", District, District.sort_order, none, none, District.name,
                   District.name_en),
    )).all()
    if not any(row.kind == "edition" for row in rows):
        raise NotFound("The plan has not been loaded yet.")
    return group(rows, ("areas", "items", "measures", "districts"), numbered=True)


def kept_filter_form(template: str, filters, **context) -> Callable[[], Markup]:
    """A list's filter form (``template`` with ``filters``, ``menus`` and ``context``), for
    the template to call where the form goes: built once per language and selection and
    kept until the plan changes (``core/fragments.py``). An htmx request for the results
    alone never calls it, and a kept form costs no menu query.

    ``context`` must depend on nothing but the language (labels): it is not in the key.
    """
    key = (template, *sorted(filters.query_args(page=None).items()))

    def build() -> str:
        return render_template(template, filters=filters, menus=filter_choices(), **context)

    return lambda: from_plan(key, build)


def fill_plan_checkboxes(form, edition: PlanEdition) -> None:
    """The policy area and ``edition``'s priority item checkboxes of a form that links an
    item to the plan (a proposal, staff's proxy entry, a project), labelled "1. 子育て・教育"."""
    form.policy_areas.choices = choices(*[
        (a.id, f"{a.number}. {localized(a, 'name')}") for a in queries.policy_areas()])
    form.priority_items.choices = choices(*[
        (i.id, f"{i.number}. {localized(i, 'title')}") for i in queries.priority_items(edition)])
