"""Staff pages of a process: create and edit it, sub-budgets, projects with their review,
phases, paper ballots, computing and publishing the result. Staff only (403 otherwise)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.budgeting import ballots, permissions, queries, results, services
from komoro_engage.budgeting.forms import (
    DistrictBudgetForm,
    PaperBallotForm,
    PhaseForm,
    ProcessForm,
    ProjectForm,
    read_choices,
)
from komoro_engage.budgeting.models import BudgetProject
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import render, render_form


def _staff() -> None:
    if not permissions.can_manage(current_user):
        abort(403)


def _manage_url(process) -> str:
    return url_for("budgeting.manage", process_id=process.id)


@login_required
def new_process():
    _staff()
    form = ProcessForm()
    if form.validate_on_submit():
        process = services.save_process(current_user, _process_data(form))
        flash(_("市民予算を作成しました。"), "success")
        return redirect(_manage_url(process))
    return render_form("budgeting/process_form.html", form, process=None)


@login_required
def edit_process(process_id: int):
    _staff()
    process = queries.process_or_404(process_id)
    form = ProcessForm(obj=process)
    if form.validate_on_submit():
        try:
            services.save_process(current_user, _process_data(form), process)
        except services.ProcessFrozen as frozen:
            form.rule.errors.append(str(frozen.message))
        else:
            flash(_("保存しました。"), "success")
            return redirect(_manage_url(process))
    return render_form("budgeting/process_form.html", form, process=process)


def _process_data(form: ProcessForm) -> services.ProcessData:
    return services.ProcessData(**{name: form[name].data for name in (
        "title", "description", "total_amount", "ballot_kind", "rule", "max_approvals",
        "points_total", "ideas_from", "review_from", "voting_from", "voting_until",
        "results_on", "min_age_band", "district_only")})


@login_required
def manage(process_id: int):
    _staff()
    process = queries.process_or_404(process_id)
    return render("budgeting/manage.html", process=process, result=results.result_of(process),
                  phase_form=PhaseForm(phase=process.phase),
                  district_form=DistrictBudgetForm(formdata=None), action_form=ActionForm())


@login_required
def set_district(process_id: int):
    _staff()
    process = queries.process_or_404(process_id)
    form = DistrictBudgetForm()
    if not form.validate_on_submit():
        return render("budgeting/manage.html", status=422, process=process,
                      result=results.result_of(process), phase_form=PhaseForm(phase=process.phase),
                      district_form=form, action_form=ActionForm())
    services.set_district_budget(current_user, process, form.district_id.data,
                                 form.amount.data or 0)
    flash(_("地区予算を保存しました。"), "success")
    return redirect(_manage_url(process))


@login_required
def set_phase(process_id: int):
    _staff()
    process = queries.process_or_404(process_id)
    form = PhaseForm()
    if not form.validate_on_submit():
        abort(400)
    services.change_phase(current_user, process, form.phase.data)
    flash(_("段階を変更しました。"), "success")
    return redirect(_manage_url(process))


@login_required
def new_project(process_id: int):
    _staff()
    process = queries.process_or_404(process_id)
    form = ProjectForm()
    if form.validate_on_submit():
        services.save_project(current_user, process, _project_data(form))
        flash(_("事業を登録しました。"), "success")
        return redirect(_manage_url(process))
    return render_form("budgeting/project_form.html", form, process=process, project=None)


@login_required
def edit_project(project_id: int):
    _staff()
    project = load_permitted(BudgetProject, project_id, lambda user, _p: True)
    form = ProjectForm(obj=project)
    if not form.is_submitted():
        form.measures.data = [m.id for m in project.measures]
    if form.validate_on_submit():
        services.save_project(current_user, project.process, _project_data(form), project)
        flash(_("事業を保存しました。"), "success")
        return redirect(_manage_url(project.process))
    return render_form("budgeting/project_form.html", form, process=project.process,
                       project=project)


def _project_data(form: ProjectForm) -> services.ProjectData:
    return services.ProjectData(measure_ids=form.measures.data or [], **{
        name: form[name].data for name in (
            "title", "description", "cost", "district_id", "source", "source_id",
            "feasibility", "department", "department_note")})


@login_required
def paper_ballot(process_id: int):
    """A paper ballot from a 公民館, checked by the same rules as a web ballot."""
    _staff()
    process = queries.process_or_404(process_id)
    form = PaperBallotForm()
    projects = ballots.ballot_projects(process, form.district_id.data if form.is_submitted()
                                       else None)
    chosen, errors = {}, {}
    if form.is_submitted():
        chosen, errors = read_choices(request.form, projects, process.ballot_kind == "points")
    # 合計を確認する shows the total without entering the slip (or checking the voter).
    entering = request.form.get("action") == "enter"
    if entering and form.validate_on_submit() and not errors:
        try:
            ballots.enter_paper_ballot(current_user, process, form.paper_ref.data,
                                       form.voter(), chosen)
        except ballots.BallotRefused as refused:
            errors = refused.errors
        else:
            flash(_("紙の投票を入力しました。"), "success")
            return redirect(url_for("budgeting.paper_ballot", process_id=process.id))
    status = 422 if errors or form.errors else 200
    return render("budgeting/paper.html", status=status, process=process, form=form,
                  projects=projects, chosen=chosen, errors=errors,
                  total=sum(p.cost for p in projects if chosen.get(p.id)))


@login_required
def compute(process_id: int):
    _staff()
    process = queries.process_or_404(process_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    results.compute_results(current_user, process)
    flash(_("結果を集計しました。確認してから公開してください。"), "success")
    return redirect(url_for("budgeting.results_page", process_id=process.id))


@login_required
def publish(process_id: int):
    _staff()
    process = queries.process_or_404(process_id)
    result = results.result_of(process)
    if result is None or not ActionForm().validate_on_submit():
        abort(400 if result else 404)
    results.publish_results(current_user, process, result)
    flash(_("結果を公開しました。"), "success")
    return redirect(url_for("budgeting.results_page", process_id=process.id))
