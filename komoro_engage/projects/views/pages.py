"""Project pages: list, detail, create (directly or from an adopted proposal), edit, status.

Views load (404), check a permission (403) and call one service; the request commits once.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from komoro_engage.accounts.models import Organisation
from komoro_engage.accounts.permissions import is_staff, managed_organisations
from komoro_engage.comments import commentable
from komoro_engage.comments.sections import comment_section
from komoro_engage.comments.views import COMMENT_LIMIT, post_comment
from komoro_engage.core.forms import choices
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import render, render_form, render_list, wants_fragment
from komoro_engage.core.i18n import localized
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.page_cache import for_visitors
from komoro_engage.core.sections import sections_for
from komoro_engage.core.security import map_page
from komoro_engage.extensions import db, limiter
from komoro_engage.plan import menus as plan_menus
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.place_forms import prepare_landmark_choices
from komoro_engage.plan.places import map_view_context, public_place
from komoro_engage.projects import activity_queries, cards, labels, permissions, queries
from komoro_engage.projects.forms import ProjectForm, StatusForm
from komoro_engage.projects.membership import membership
from komoro_engage.projects.models import Project
from komoro_engage.projects.reader import project_page
from komoro_engage.projects.services import (
    ProjectData,
    change_status,
    create_project,
    data_from_proposal,
    update_project,
)
from komoro_engage.projects.states import TRANSITIONS
from komoro_engage.proposals.models import Proposal


@for_visitors
def index():
    """Every public project, filtered like the proposal list; htmx refreshes only the results."""
    filters = queries.ProjectFilters.from_args(request.args)
    if filters.view == "map":
        return _map(filters)
    page = cards.card_page(filters)
    return render_list("projects/list.html", "projects.index", filters, page=page,
                       can_create=permissions.can_create(current_user),
                       filter_form=plan_menus.kept_filter_form(
                           "projects/_filters.html", filters, sort_labels=labels.SORT_LABELS,
                           status_labels=labels.STATUS_LABELS))


@map_page
def _map(filters: queries.ProjectFilters):
    """The same selection on a map, and by district as a list (the page without JS)."""
    places = map_view_context(
        queries.map_rows(filters), queries.MAP_CAP,
        lambda id_: url_for("projects.detail", project_id=id_),
        lambda n: _("%(n)s件のプロジェクト", n=n))
    return render_list("map_view.html", "projects.index", filters, **places,
                       heading=_("協働プロジェクトの地図"), list_endpoint="projects.index",
                       empty_text=_("条件に合うプロジェクトはありません。"),
                       filter_form=plan_menus.kept_filter_form(
                           "projects/_filters.html", filters, sort_labels=labels.SORT_LABELS,
                           status_labels=labels.STATUS_LABELS))


def detail_context(project: Project, comment_form=None, reply_to: int | None = None,
                   comment_page: int | None = None) -> dict:
    """What the project page and its fragments need (a fixed number of queries)."""
    manage = permissions.can_manage(current_user, project)
    comments = comment_section(project, comment_form, reply_to, comment_page)
    mine = membership(current_user, project)
    joined = mine is not None and mine.status == "joined"
    activity = activity_queries.activity(project)
    return {
        **comments,
        "project": project, "activity": activity, "manage": manage,
        "links": queries.plan_links(project),
        "day_places": {day.id: public_place(day) for day in activity.days},
        # The archive of organisers' messages, for those who may read it.
        "messages_link": manage or mine is not None or (
            current_user.is_authenticated and permissions.can_read_messages(
                current_user, project, managing=manage, member_status=None)),
        "mine": mine, "rsvped": activity_queries.rsvped_day_ids(current_user, project),
        "can_rsvp": permissions.can_rsvp(current_user, project, joined or manage),
        "actions": [a for a in TRANSITIONS if permissions.action_open(project, a)] if manage
        else [],
        # Only for those who manage: building a form makes a CSRF token, and a page with a
        # token of its own is never kept for visitors (core/page_cache.py).
        "action_labels": labels.ACTION_LABELS,
        "status_form": StatusForm(formdata=None) if manage else None,
        "partner_requests": [p for p in project.partners if p.status == "requested"],
        "partners": [p for p in project.partners if p.status == "accepted"],
        "place": public_place(project),
        # The exact point: for those who manage the project (they chose it) and staff.
        "exact_place": ((project.latitude, project.longitude)
                        if manage and project.latitude is not None else None),
        # Other features' boxes on the page (a quick poll), through core/sections.py.
        "sections": sections_for("projects.detail", project),
    }


def visible_project(project_id: int) -> Project:
    """The project with its page's data, or 404 for whoever may not see it (under review)."""
    project = project_page(project_id)
    if not permissions.can_view(current_user, project):
        abort(404)
    return project


@for_visitors
def detail(project_id: int):
    project = visible_project(project_id)
    return render("projects/detail.html", **detail_context(project))


@login_required
@limiter.limit(COMMENT_LIMIT, key_func=rate_limit_key)
def comment(project_id: int):
    return post_comment("project", project_id)


def _load_for_comments(project_id: int) -> Project:
    # An htmx comment post gets the comments fragment back: the project's row is all it
    # shows, not its plan links, partners and activity.
    if not wants_fragment():
        return visible_project(project_id)
    return load_permitted(Project, project_id, permissions.can_view, refused=404)


def _comment_page_context(project: Project, form, reply_to: int | None,
                          comment_page: int | None) -> dict:
    if wants_fragment():
        return {"project": project, **comment_section(project, form, reply_to, comment_page)}
    return detail_context(project, form, reply_to, comment_page)


def register_commentable() -> None:
    """Projects take comments (public with the project); called from the package."""
    commentable.register(commentable.Commentable(
        name="project", load=_load_for_comments, can_read=permissions.can_view,
        can_comment=permissions.can_comment, page_endpoint="projects.detail",
        post_endpoint="projects.comment", id_arg="project_id",
        template="projects/detail.html", page_context=_comment_page_context))


def _prepare(form: ProjectForm, proposal: Proposal | None = None) -> None:
    edition = plan_queries.current_edition()
    plan_menus.fill_plan_checkboxes(form, edition)
    form.measures.choices = choices(*[
        (m.id, f"{m.code} {localized(m, 'title')}") for m in edition.measures])
    form.district.choices = choices(("", _("市全域")), *[
        (str(d.id), localized(d, "name")) for d in plan_queries.districts_only()])
    prepare_landmark_choices(form)
    leads = [(f"u{current_user.id}", _("個人として（%(name)s）", name=current_user.nickname))]
    if proposal is not None and proposal.organisation_id:
        leads.insert(0, (f"o{proposal.organisation_id}", proposal.organisation.name))
    # Staff may set up a project for any organisation; others for those they manage.
    organisations = (all_organisations() if is_staff(current_user)
                     else managed_organisations(current_user))
    leads += [(f"o{org.id}", org.name) for org in organisations]
    form.lead.choices = choices(*dict(leads).items())


def all_organisations(limit: int = 500) -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name).limit(limit)))


def _data(form: ProjectForm) -> ProjectData:
    lead = form.lead.data or f"u{current_user.id}"
    return ProjectData(
        title=form.title.data, summary=form.summary.data, description=form.description.data or "",
        lead_user_id=int(lead[1:]) if lead.startswith("u") else None,
        lead_organisation_id=int(lead[1:]) if lead.startswith("o") else None,
        district_id=int(form.district.data) if form.district.data else None,
        starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        help_wanted=form.help_wanted.data or "", capacity=form.capacity.data,
        measure_ids=form.measures.data or [], policy_area_ids=form.policy_areas.data or [],
        priority_item_ids=form.priority_items.data or [], point=form.point(),
        landmark_id=landmark.id if (landmark := form.chosen_landmark()) else None)


def _fill(form: ProjectForm, data: ProjectData) -> None:
    form.title.data, form.summary.data, form.description.data = (
        data.title, data.summary, data.description)
    form.lead.data = (f"o{data.lead_organisation_id}" if data.lead_organisation_id
                      else f"u{data.lead_user_id}")
    form.district.data = str(data.district_id or "")
    form.starts_on.data, form.ends_on.data = data.starts_on, data.ends_on
    form.help_wanted.data, form.capacity.data = data.help_wanted, data.capacity
    form.measures.data = data.measure_ids
    form.policy_areas.data = data.policy_area_ids
    form.priority_items.data = data.priority_item_ids
    form.landmark.data = str(data.landmark_id or "")
    if data.point is not None:
        form.latitude.data, form.longitude.data = (str(value) for value in data.point)


def _form_page(form: ProjectForm, project: Project | None, proposal: Proposal | None):
    return render_form("projects/form.html", form, project=project, proposal=proposal)


def _flash_created(project: Project, done: str) -> None:
    if project.is_public:
        flash(done, "success")
    else:
        flash(_("プロジェクトを作成しました。市の職員が確認してから公開されます。"), "success")


@login_required
@map_page
def new():
    """Staff, or an organisation's manager, start a project directly."""
    if not permissions.can_create(current_user):
        abort(403)
    form = ProjectForm()
    _prepare(form)
    if form.validate_on_submit():
        if not is_staff(current_user) and not form.lead.data.startswith("o"):
            form.lead.errors = [_("団体・事業者を主催者に選んでください。")]
            return _form_page(form, None, None)
        project = create_project(current_user, _data(form))
        _flash_created(project, _("プロジェクトを作成しました（準備中）。"))
        return redirect(url_for("projects.detail", project_id=project.id))
    return _form_page(form, None, None)


@login_required
@map_page
def from_proposal(proposal_id: int):
    """Staff turn an adopted proposal into a project, keeping the link and its measures."""
    proposal = load_permitted(Proposal, proposal_id, permissions.can_create_from)
    form = ProjectForm()
    _prepare(form, proposal)
    if form.validate_on_submit():
        project = create_project(current_user, _data(form), proposal)
        _flash_created(project, _("提案からプロジェクトを作成しました（準備中）。"))
        return redirect(url_for("projects.detail", project_id=project.id))
    if request.method == "GET":
        _fill(form, data_from_proposal(proposal, current_user))
    return _form_page(form, None, proposal)


@login_required
@map_page
def edit(project_id: int):
    project = queries.project_detail(project_id)
    if not permissions.can_manage(current_user, project):
        abort(403)
    form = ProjectForm()
    _prepare(form)
    lead = (f"o{project.lead_organisation_id}" if project.lead_organisation_id
            else f"u{project.lead_user_id}")
    if lead not in [c.value for c in form.lead.choices]:
        form.lead.choices = [*form.lead.choices, *choices((lead, _("現在の主催者のまま")))]
    if form.validate_on_submit():
        update_project(current_user, project, _data(form))
        flash(_("プロジェクトを更新しました。") if project.is_public
              else _("プロジェクトを更新しました。市の職員が確認してから公開されます。"), "success")
        return redirect(url_for("projects.detail", project_id=project.id))
    if request.method == "GET":
        _fill(form, ProjectData(
            title=project.title, summary=project.summary, description=project.description,
            lead_user_id=project.lead_user_id, lead_organisation_id=project.lead_organisation_id,
            district_id=project.district_id, starts_on=project.starts_on,
            ends_on=project.ends_on, help_wanted=project.help_wanted, capacity=project.capacity,
            measure_ids=[m.id for m in project.measures],
            policy_area_ids=[a.id for a in project.policy_areas],
            priority_item_ids=[i.id for i in project.priority_items],
            landmark_id=project.landmark_id,
            point=((project.latitude, project.longitude)
                   if project.latitude is not None else None)))
    return _form_page(form, project, None)


@login_required
def set_status(project_id: int, action: str):
    """Organisers or staff move the project along its lifecycle."""
    project = db.get_or_404(Project, project_id)
    if action not in TRANSITIONS:
        abort(404)
    form = StatusForm()
    if not permissions.can_change_status(current_user, project, action) or not form.validate():
        abort(403)
    change_status(current_user, project, action, form.reason.data or "")
    flash(_("状況を「%(status)s」にしました。", status=labels.STATUS_LABELS[project.status]),
          "success")
    return redirect(url_for("projects.detail", project_id=project.id))
