"""Plan rows as public lists and pages show them: the filter menus of the proposal and
project lists, the plan rows an item is linked to (``PlanLinks``), and the plan
checkboxes of the forms that link an item to the plan.

Read as plain rows in one UNION query each (not as ORM objects, one query per kind):
a page shows only their ids, codes and names. An item's links are read as ids with the
item and named from the plan's rows kept in memory until the plan changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup
from sqlalchemy import bindparam, literal, null, select, union_all
from werkzeug.exceptions import NotFound

from komoro_engage.core.forms import choices
from komoro_engage.core.fragments import data_from_plan, from_plan
from komoro_engage.core.i18n import localized
from komoro_engage.core.request_facts import keep_answers, known
from komoro_engage.core.sql import ids_in, joined_ids
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
    number: int = 0  # a policy area's or priority item's number (the area's page is by it)


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


LINK_KINDS = ("areas", "items", "measures")


@dataclass(frozen=True)
class PlanLinks:
    """How one kind of subject (``kind``: "proposal", "project", "consultation") is linked
    to the plan: each plan kind's link as (subject column, plan column), None for a kind it
    is not linked to (a consultation's priority items); ``measure_conditions``, more
    conditions on the measures' links. Built once per kind of subject, at import."""

    kind: str
    areas: tuple
    items: tuple | None
    measures: tuple
    measure_conditions: tuple = ()

    def columns(self, subject) -> list:
        """The ids of the plan rows ``subject`` is linked to, one column of joined ids per
        plan kind (``core.sql.joined_ids``), for the subject's page's own statement to
        carry them (no statement of their own, issue 16). ``subject``: the subject's id
        as that statement binds it (a subquery of a bound value is run once, not once per
        row its joined collections add)."""
        conditions = {"areas": (), "items": (), "measures": self.measure_conditions}
        return [(null() if (link := getattr(self, kind)) is None
                 else joined_ids(link[1], link[0] == subject, *conditions[kind]))
                .label(f"links_{kind}") for kind in LINK_KINDS]

    def key(self, subject_id: int) -> tuple:
        """Where a request keeps the subject's links (``core/request_facts.known``)."""
        return ("plan_links", self.kind, subject_id)

    @functools.cached_property
    def statement(self):
        """The columns alone, for a request that did not read them with the subject."""
        return select(*self.columns(bindparam("subject_id")))


def keep_links(links: PlanLinks, subject_id: int, row) -> None:
    """The links the subject's statement read (its :meth:`PlanLinks.columns`), on a read
    request, for :func:`links_of` to answer from."""
    keep_answers({links.key(subject_id): _named(row)})


def links_of(links: PlanLinks, subject_id: int) -> dict[str, list[Choice]]:
    """The subject's plan links in plan order: as its statement read them, else one query."""
    return known(links.key(subject_id), lambda: _named(
        db.session.execute(links.statement, {"subject_id": subject_id}).one()))


def _named(row) -> dict[str, list[Choice]]:
    """The row's linked ids by plan kind, named and in plan order from the plan's rows kept
    in memory until the plan changes (``core/fragments.py``)."""
    linked = {kind: ids_in(getattr(row, f"links_{kind}")) for kind in LINK_KINDS}
    plan = data_from_plan(("plan_link_names",), _link_names)
    if any(ident not in plan[kind] for kind in LINK_KINDS for ident in linked[kind]):
        # A plan row committed after this request read the plan's version: read afresh.
        plan = _link_names()
    return {kind: [choice for _order, choice in sorted(
                (plan[kind][ident] for ident in linked[kind]), key=lambda named: named[0])]
            for kind in LINK_KINDS}


def _link_names() -> dict[str, dict[int, tuple[tuple, Choice]]]:
    """Every policy area, priority item and measure (every edition's), by kind and id: its
    place in plan order and its name (one query, once per plan version)."""
    names: dict[str, dict[int, tuple[tuple, Choice]]] = {kind: {} for kind in LINK_KINDS}
    for row in db.session.execute(union_all(*plan_selects())):
        names[row.kind][row.id] = ((row.number, row.sort_key, row.id),
                                   Choice(row.id, row.code, row.name, row.name_en,
                                          row.number))
    return names


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
