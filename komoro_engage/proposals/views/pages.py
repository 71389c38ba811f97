"""Proposal pages: list, mine, post/edit, submit and withdraw (the page itself: detail.py).

Views load (404), check a permission (403) and call one service; the request commits once.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from komoro_engage.accounts.permissions import managed_organisations
from komoro_engage.core.forms import ActionForm, choices
from komoro_engage.core.htmx import render, render_list
from komoro_engage.core.i18n import localized
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.page_cache import for_visitors
from komoro_engage.core.security import map_page
from komoro_engage.extensions import limiter
from komoro_engage.media.forms import store_uploads
from komoro_engage.media.models import Photo
from komoro_engage.plan import menus as plan_menus
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.place_forms import fill_place, prepare_landmark_choices
from komoro_engage.plan.places import map_view_context
from komoro_engage.proposals import cards, labels, map_queries, permissions, queries
from komoro_engage.proposals.forms import CITYWIDE, ProposalForm
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.proposals.services import (
    ProposalData,
    save_proposal,
    set_photos,
    submit_proposal,
    withdraw_proposal,
)

# The plan's measure page lists the proposals linked to it through this (one statement).


def _load(proposal_id: int, loader=queries.proposal_detail) -> Proposal:
    proposal = loader(proposal_id)
    if not permissions.can_view(current_user, proposal):
        abort(404)  # drafts and pending proposals do not exist for others
    return proposal


@for_visitors
def index():
    """Public proposals; the filter form refreshes only the results under htmx."""
    filters = queries.ProposalFilters.from_args(request.args)
    if filters.view == "map":
        return _map(filters)
    page = cards.list_page(filters)
    return render_list("proposals/list.html", "proposals.index", filters, page=page,
                       filter_form=plan_menus.kept_filter_form(
                           "proposals/_filters.html", filters, sort_labels=labels.SORT_LABELS,
                           status_labels=labels.STATUS_LABELS))


@map_page
def _map(filters: queries.ProposalFilters):
    """The same selection on a map, and by 区 as a list (the page without JavaScript)."""
    places = map_view_context(
        map_queries.map_rows(filters), map_queries.MAP_CAP,
        lambda id_: url_for("proposals.detail", proposal_id=id_),
        lambda n: _("%(n)s件の提案", n=n))
    return render_list("map_view.html", "proposals.index", filters, **places,
                       heading=_("提案の地図"), list_endpoint="proposals.index",
                       empty_text=_("条件に合う提案はありません。"),
                       filter_form=plan_menus.kept_filter_form(
                           "proposals/_filters.html", filters, sort_labels=labels.SORT_LABELS,
                           status_labels=labels.STATUS_LABELS))


@login_required
def mine():
    """The signed-in person's proposals in every status, most recently changed first."""
    filters = queries.ProposalFilters.from_args(request.args)
    page = queries.simple_page(
        select(Proposal).where(Proposal.author_id == current_user.id)
        .options(joinedload(Proposal.district))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc()),
        filters.page, filters.per_page)
    return render("proposals/mine.html", page=page, heading=_("自分の提案"),
                  endpoint="proposals.mine")


def _prepare(form: ProposalForm, proposal: Proposal | None = None) -> None:
    """Fill the choices the form offers: plan rows, places, organisations, photos."""
    form.remove_photos.choices = choices(*[
        (photo.id, _("%(n)s枚目の写真を削除", n=index))
        for index, photo in enumerate(proposal.photos if proposal else [], start=1)])
    prepare_plan_choices(form)
    form.organisation.choices = choices(
        ("", _("個人として（%(name)s）", name=current_user.nickname)),
        *[(str(org.id), org.name) for org in managed_organisations(current_user)])


def prepare_plan_choices(form) -> None:
    """Policy areas, priority items and places (also for staff's proxy entry form)."""
    plan_menus.fill_plan_checkboxes(form, plan_queries.current_edition())
    places = choices((CITYWIDE, _("市全域")))
    for district in plan_queries.districts():
        name = localized(district, "name")
        places += choices((f"d{district.id}", _("%(name)s（地区全体）", name=name)), *[
            (f"k{district.id}-{ku.id}", ku.name) for ku in district.kus], group=name)
    form.place.choices = places
    prepare_landmark_choices(form)


def _data(form: ProposalForm) -> ProposalData:
    district_id, ku_id = form.place_ids()
    return ProposalData(
        title=form.title.data, body=form.body.data, kind=form.kind.data,
        policy_area_ids=form.policy_areas.data, priority_item_ids=form.priority_items.data or [],
        district_id=district_id, ku_id=ku_id, point=form.point(), landmark=form.chosen_landmark(),
        organisation_id=int(form.organisation.data) if form.organisation.data else None)


def _fill(form: ProposalForm, proposal: Proposal) -> None:
    form.title.data, form.body.data, form.kind.data = proposal.title, proposal.body, proposal.kind
    form.policy_areas.data = [area.id for area in proposal.policy_areas]
    form.priority_items.data = [item.id for item in proposal.priority_items]
    if proposal.ku_id:
        form.place.data = f"k{proposal.district_id}-{proposal.ku_id}"
    elif proposal.district_id:
        form.place.data = f"d{proposal.district_id}"
    form.organisation.data = str(proposal.organisation_id or "")
    fill_place(form, proposal)


def _store_uploads(form: ProposalForm) -> list[Photo] | None:
    """Store the chosen photos; None (nothing kept) when one is refused, with its message."""
    return store_uploads(form.photos, current_user)


def _save(form: ProposalForm, proposal: Proposal | None):
    """Save as a draft, then submit it when the author pressed 「送信する」."""
    photos = _store_uploads(form)
    if photos is None:
        return render("proposals/form.html", form=form, proposal=proposal, status=422)
    proposal = save_proposal(current_user, _data(form), proposal)
    set_photos(proposal, form.remove_photos.data or [], photos)
    if request.form.get("action") == "submit" and permissions.can_submit(current_user, proposal):
        status = submit_proposal(proposal)
        message = (_("提案を送信しました。市の確認後に公開されます。")
                   if status == ProposalStatus.PENDING else _("提案を公開しました。"))
    else:
        message = _("下書きを保存しました。")
    flash(message, "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


# Against floods, not people: a resident rarely posts more than a few a day.
POST_LIMIT = "10 per hour; 30 per day"


@login_required
@limiter.limit(POST_LIMIT, key_func=rate_limit_key, methods=["POST"])
@map_page
def new():
    if not permissions.can_create(current_user):
        abort(403)
    form = ProposalForm()
    _prepare(form)
    if form.validate_on_submit():
        return _save(form, None)
    status = 422 if form.errors else 200
    return render("proposals/form.html", form=form, proposal=None, status=status)


@login_required
@map_page
def edit(proposal_id: int):
    proposal = _load(proposal_id)
    if not permissions.can_edit(current_user, proposal):
        abort(403)
    form = ProposalForm()
    _prepare(form, proposal)
    if form.validate_on_submit():
        return _save(form, proposal)
    if request.method == "GET":
        _fill(form, proposal)
    status = 422 if form.errors else 200
    return render("proposals/form.html", form=form, proposal=proposal, status=status)


@login_required
def submit(proposal_id: int):
    proposal = _load(proposal_id)
    if not permissions.can_submit(current_user, proposal) or not ActionForm().validate():
        abort(403)
    status = submit_proposal(proposal)
    flash(_("提案を送信しました。市の確認後に公開されます。") if status == ProposalStatus.PENDING
          else _("提案を公開しました。"), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@login_required
def withdraw(proposal_id: int):
    proposal = _load(proposal_id)
    if not permissions.can_withdraw(current_user, proposal) or not ActionForm().validate():
        abort(403)
    withdraw_proposal(proposal)
    flash(_("提案を取り下げました。"), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
