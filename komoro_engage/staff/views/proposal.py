"""Staff pages on one proposal: link it to measures; and proxy entry (the answer: answers.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from komoro_engage.core import clock
from komoro_engage.core.blank_forms import blank_form
from komoro_engage.core.forms import choices
from komoro_engage.core.htmx import render
from komoro_engage.core.i18n import current_language, localized
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.fiscal import fiscal_year_of, format_fiscal_year
from komoro_engage.plan.models import Measure
from komoro_engage.proposals import permissions
from komoro_engage.proposals.lifecycle.links import AlreadyLinked, link_measure, unlink_measure
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.lifecycle.record import city_record
from komoro_engage.proposals.services import ProposalData
from komoro_engage.proposals.views.pages import prepare_plan_choices
from komoro_engage.staff.forms import BulkLinkForm, LinkForm, ProxyForm, UnlinkForm
from komoro_engage.staff.proxy import enter_by_proxy
from komoro_engage.staff.views import acting_user, load_proposal


def _to_proposal(proposal_id: int, anchor: str | None = "city-record"):
    return redirect(url_for("proposals.detail", proposal_id=proposal_id, _anchor=anchor))


def _link_form(form_class: type[LinkForm] = LinkForm, **options) -> LinkForm:
    form = form_class(**options)
    edition = plan_queries.current_edition()
    form.measure.choices = choices(*[
        (m.id, f"{m.code} {localized(m, 'title')}") for m in edition.measures])
    current = fiscal_year_of(clock.now())
    language = current_language()
    form.fiscal_year.choices = choices(*[
        (year, format_fiscal_year(year, language)) for year in range(current + 1, current - 4, -1)])
    if form.fiscal_year.data is None:
        form.fiscal_year.data = current
    return form


def bulk_link_form() -> BulkLinkForm:
    """The console's form linking ticked proposals to one measure (choices as on a
    proposal's links page)."""
    return _link_form(BulkLinkForm)


def blank_bulk_link_form(queue: str) -> Markup:
    """The bulk link form as nobody has filled it in, with this request's CSRF token and
    ``queue``: rendered once per language, fiscal year and plan version (its menu is the
    plan's measures, its year this one), not per page (core/blank_forms.py). Building
    and rendering it per page cost a sixth of the threshold queue's calls and two of its
    six statements (issue 16)."""
    def build(markers: dict[str, str]) -> str:
        return render_template("staff/_bulk_link.html", queue=markers["queue"],
                               link_form=_link_form(BulkLinkForm, formdata=None))

    return blank_form(("bulk-link", fiscal_year_of(clock.now())), build, with_plan=True,
                      queue=queue)


@login_required
def links(proposal_id: int):
    """Link a proposal to a measure (施策) for a fiscal year, with a note; see past links."""
    proposal = load_proposal(proposal_id)
    staff = acting_user()
    if not permissions.can_link(staff, proposal):
        abort(403)
    form = _link_form()
    if form.validate_on_submit():
        measure = db.get_or_404(Measure, form.measure.data)
        try:
            link_measure(staff, proposal, measure, form.fiscal_year.data, form.note.data)
        except AlreadyLinked:
            form.measure.errors = [*form.measure.errors,
                                   _("この施策にはすでに紐付いています。")]
        else:
            flash(_("施策 %(code)s に紐付けました。", code=measure.code), "success")
            return _to_proposal(proposal.id)
    return render("staff/links.html", form=form, proposal=proposal,
                  record=city_record(proposal), unlink_form=UnlinkForm(),
                  status=422 if form.errors else 200)


@login_required
def unlink(link_id: int):
    """Undo a link; it stays in the history with who, when and why."""
    staff = acting_user()
    link = db.get_or_404(ProposalMeasureLink, link_id)
    form = UnlinkForm()
    if not form.validate_on_submit():
        proposal = load_proposal(link.proposal_id)
        return render("staff/links.html", form=_link_form(), proposal=proposal,
                      record=city_record(proposal), unlink_form=form,
                      unlink_id=link.id, status=422)
    unlink_measure(staff, link, form.reason.data)
    flash(_("施策との紐付けを外しました（記録は残ります）。"), "success")
    return _to_proposal(link.proposal_id)


@login_required
def proxy_entry():
    """代理入力: a proposal received on paper or at a meeting, for an account or anonymous."""
    staff = acting_user()
    form = ProxyForm()
    prepare_plan_choices(form)
    if form.validate_on_submit():
        district_id, ku_id = form.place_ids()
        data = ProposalData(title=form.title.data, body=form.body.data, kind=form.kind.data,
                            policy_area_ids=form.policy_areas.data,
                            priority_item_ids=form.priority_items.data or [],
                            district_id=district_id, ku_id=ku_id,
                            point=form.point(), landmark=form.chosen_landmark())
        proposal = enter_by_proxy(staff, form.author_user, data, form.occasion.data,
                                  form.occasion_detail.data or "", form.received_on.data)
        flash(_("代理入力した提案を公開しました。"), "success")
        return _to_proposal(proposal.id, anchor=None)
    return render("staff/proxy.html", form=form, status=422 if form.errors else 200)
