"""Reading projects: the filtered list, the project page, and lists on other pages.

Every function runs a fixed number of SQL statements whatever the data size
(tests/projects/test_project_query_counts.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, bindparam, null, or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from komoro_engage.core.listing import (
    MAX_PAGE_SIZE,
    Page,
    link_conditions,
    simple_page,
)
from komoro_engage.core.numbers import page_number, positive_int
from komoro_engage.core.sql import bound_to, one_or_404
from komoro_engage.extensions import db
from komoro_engage.plan.menus import Choice, PlanLinks, links_of
from komoro_engage.plan.models import District
from komoro_engage.projects.models import (
    Project,
    ProjectPartner,
    ProjectReview,
    ProjectStatus,
    project_measure,
    project_policy_area,
    project_priority_item,
)
from komoro_engage.projects.review import PUBLIC
from komoro_engage.search.services import index_item
from komoro_engage.search.words import search_values, shaped_matches

SEARCH_KIND = "project"
SORTS = {
    "new": (Project.created_at.desc(), Project.id.desc()),
    "active": (Project.updated_at.desc(), Project.id.desc()),
}
DEFAULT_SORT = "new"


def searched_texts(project=Project) -> tuple:
    """What a search reads of a project (columns of the class, values of a row)."""
    return project.title, project.summary, project.description


def index_for_search(project: Project) -> None:
    """Index its title, summary and description; lists show only public projects."""
    index_item(SEARCH_KIND, project.id, *searched_texts(project))


@dataclass
class ProjectFilters:
    """The list's query string, read leniently like the proposal list's."""

    area: int | None = None
    item: int | None = None
    measure: int | None = None
    district: int | None = None
    status: str | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = 20
    view: str | None = None  # "map": the map view of the same selection

    @classmethod
    def from_args(cls, args: MultiDict) -> ProjectFilters:
        status, sort = args.get("status"), args.get("sort")
        per_page = positive_int(args.get("per_page")) or current_app.config["PAGE_SIZE"]
        return cls(
            area=positive_int(args.get("area")), item=positive_int(args.get("item")),
            measure=positive_int(args.get("measure")),
            district=positive_int(args.get("district")),
            status=status if status in tuple(ProjectStatus) else None,
            q=(args.get("q") or "").strip()[:100],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=page_number(args.get("page")),
            per_page=min(per_page, MAX_PAGE_SIZE),
            view="map" if args.get("view") == "map" else None)

    def query_args(self, **changes) -> dict:
        values = {"area": self.area, "item": self.item, "measure": self.measure,
                  "district": self.district, "status": self.status, "q": self.q or None,
                  "sort": None if self.sort == DEFAULT_SORT else self.sort,
                  "page": self.page if self.page > 1 else None, "view": self.view}
        if self.per_page != current_app.config["PAGE_SIZE"]:
            values["per_page"] = self.per_page
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}


MAP_CAP = 500  # the map view shows the selection in one go: past this, narrow the filters


def map_rows(filters: ProjectFilters) -> list:
    """Public projects by district for the map view and its no-JS list (one query); only
    public columns: the exact point is never selected."""
    return db.session.execute(
        select(Project.id, Project.title, Project.public_latitude, Project.public_longitude,
               District.name.label("district_name"), District.name_en.label("district_name_en"),
               null().label("ku_name"))
        .outerjoin(District, District.id == Project.district_id).where(*conditions(filters))
        .order_by(District.sort_order.is_(None), District.sort_order, Project.id.desc())
        .limit(MAP_CAP + 1)).all()


# The list's filters by the name each takes as a bound parameter (the search adds its
# grams and words, ``search_values``).
FILTERED = ("status", "district", "area", "item", "measure")


def filter_values(filters: ProjectFilters) -> dict:
    """The selection's values by parameter name: the filters given, and the search's
    grams and words. Their names are the selection's shape (:func:`shaped_conditions`)."""
    values = {name: getattr(filters, name) for name in FILTERED
              if getattr(filters, name) is not None}
    if filters.q:
        values.update(search_values(filters.q))
    return values


def shaped_conditions(names, bind=bindparam) -> list:
    """The public list's conditions, approved projects (projects/review.py) of a selection
    whose parameters are ``names`` (of :func:`filter_values`), made by ``bind``: without
    values for the list's statement kept per shape (``projects/cards.py``), with them in
    :func:`conditions`."""
    names = tuple(names)
    given = {name: bind(name) for name in FILTERED if name in names}
    where = [PUBLIC]
    where += [column == given[name] for name, column in (
        ("status", Project.status), ("district", Project.district_id)) if name in given]
    where += link_conditions(Project.id, (
        (given.get("area"), project_policy_area, "policy_area_id"),
        (given.get("item"), project_priority_item, "priority_item_id"),
        (given.get("measure"), project_measure, "measure_id")))
    matching = shaped_matches(SEARCH_KIND, names, Project.id, *searched_texts(), bind=bind)
    if matching is not None:
        where.append(matching)
    return where


def conditions(filters: ProjectFilters) -> list:
    """The public list's conditions for ``filters``, with their values."""
    values = filter_values(filters)
    return shaped_conditions(values, bound_to(values))


def list_options() -> tuple:
    """What a project card shows (built on call: mappers are configured by then)."""
    return (joinedload(Project.lead_user), joinedload(Project.lead_organisation),
            joinedload(Project.district), selectinload(Project.policy_areas))


def list_page(filters: ProjectFilters, *options) -> Page:
    """One page of projects and the total: 3 queries (with the policy areas)."""
    query = (select(Project).where(*conditions(filters)).options(*(options or list_options()))
             .order_by(*SORTS[filters.sort]))
    return simple_page(query, filters.page, filters.per_page)


def projects_of_organisation(organisation_id: int, limit: int = 50) -> list[Project]:
    """Public projects an organisation leads or partners in (1 query)."""
    partnered = select(ProjectPartner.project_id).where(
        ProjectPartner.organisation_id == organisation_id)
    return list(db.session.scalars(
        select(Project).where(PUBLIC, or_(Project.lead_organisation_id == organisation_id,
                                          Project.id.in_(partnered)))
        .order_by(Project.created_at.desc(), Project.id.desc()).limit(limit)))


def projects_of_measure(measure_id: int, limit: int = 50) -> list[Project]:
    """Public projects linked to a measure (1 query)."""
    linked = select(project_measure.c.project_id).where(project_measure.c.measure_id == measure_id)
    return list(db.session.scalars(
        select(Project).where(PUBLIC, Project.id.in_(linked))
        .order_by(Project.created_at.desc(), Project.id.desc()).limit(limit)))


_ITS_OWN = (joinedload(Project.lead_user), joinedload(Project.lead_organisation),
            joinedload(Project.district), joinedload(Project.proposal),
            joinedload(Project.landmark))
# What the project's own page shows of it, in one statement: its few partners joined too
# (a selectin load of them was a tenth of the page's time), its plan links in a statement
# of their own (``plan_links``), not three selectin loads of ORM objects (issue 16).
PAGE_OPTIONS = (*_ITS_OWN, joinedload(Project.partners).joinedload(ProjectPartner.organisation))
# For lists too (the API's): a page of projects loads its partners in one more statement.
DETAIL_OPTIONS = (*_ITS_OWN, selectinload(Project.partners).joinedload(ProjectPartner.organisation),
                  selectinload(Project.policy_areas), selectinload(Project.priority_items),
                  selectinload(Project.measures))


@functools.cache
def _detail_statement(options: tuple):
    """Built once for each of this module's option tuples, at first use (loader options
    need every mapper configured): its joins cost more to build than to run (issue 16)."""
    return select(Project).where(Project.id == bindparam("project_id")).options(*options)


def project_detail(project_id: int, options: tuple = DETAIL_OPTIONS) -> Project:
    """A project with what its page shows about it (with its plan links as objects), or 404
    (public or not: the caller asks ``permissions.can_view``). ``options``: PAGE_OPTIONS
    or DETAIL_OPTIONS."""
    return one_or_404(_detail_statement(options), {"project_id": project_id})


PLAN_LINKS = PlanLinks(
    "project",
    (project_policy_area.c.project_id, project_policy_area.c.policy_area_id),
    (project_priority_item.c.project_id, project_priority_item.c.priority_item_id),
    (project_measure.c.project_id, project_measure.c.measure_id))


def plan_links(project: Project) -> dict[str, list[Choice]]:
    """The policy areas, priority items and measures the project is linked to: as the
    project page's statement read them (projects/reader.py), else one query."""
    return links_of(PLAN_LINKS, project.id)


def waiting_for_review():
    """Projects waiting for staff review, longest waiting first (the console pages it)."""
    return (select(Project).where(Project.review == ProjectReview.PENDING)
            .options(joinedload(Project.lead_user), joinedload(Project.lead_organisation))
            .order_by(Project.updated_at, Project.id))


def waiting_ids() -> Select:
    """Ids of projects waiting for review, for the staff's one-statement queue counts."""
    return select(Project.id).where(Project.review == ProjectReview.PENDING)
