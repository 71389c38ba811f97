"""Public pages: processes, a process with its projects, the ballot, the results with the
.pb files, and "what did my vote do?". Load (404), check (403), act; one commit per request."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.accounts.forms import AGE_BAND_LABELS
from komoro_engage.budgeting import ballots, explain, permissions, queries, results
from komoro_engage.budgeting.forms import read_choices
from komoro_engage.budgeting.labels import INELIGIBLE_LABELS
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.htmx import render
from komoro_engage.core.i18n import localized
from komoro_engage.core.numbers import page_number


def index():
    page = queries.processes(page_number(request.args.get("page")))
    return render("budgeting/list.html", page=page)


def detail(process_id: int):
    process = queries.process_or_404(process_id)
    result = results.result_of(process)
    mine = ballots.my_ballot(current_user, process)
    reason = permissions.ineligibility(current_user, process)
    return render("budgeting/detail.html", process=process, result=result, mine=mine,
                  projects=ballots.ballot_projects(process, getattr(current_user, "district_id",
                                                                     None)),
                  can_vote=permissions.can_vote(current_user, process),
                  ineligible=INELIGIBLE_LABELS.get(reason) if reason else None,
                  show_results=permissions.can_see_results(current_user, result))


@login_required
def vote(process_id: int):
    """The ballot: checkboxes or numbers, a running total of the chosen projects' cost
    (recomputed on 確認 without JavaScript, live with it), saved on 投票する."""
    process = queries.process_or_404(process_id, for_ballot=True)
    if not permissions.can_vote(current_user, process):
        abort(403)
    projects = ballots.ballot_projects(process, current_user.district_id,
                                       queries.ballot_offer(process))
    form = ActionForm()
    errors: dict = {}
    chosen = None
    if request.method == "POST" and form.validate_on_submit():
        chosen, errors = read_choices(request.form, projects, process.ballot_kind == "points")
        if not errors and request.form.get("action") != "preview":
            try:
                ballots.cast_ballot(current_user, process, chosen, projects)
            except ballots.BallotRefused as refused:
                errors = refused.errors
            else:
                flash(_("投票を受け付けました。締切までは何度でも変更できます。"), "success")
                return redirect(url_for("budgeting.detail", process_id=process.id))
    # Read only for the page: a saved ballot goes straight back to the process.
    mine = ballots.my_ballot(current_user, process)
    if chosen is None:
        chosen = {c.project_id: c.points for c in mine.choices} if mine else {}
    status = 422 if errors else 200
    return render("budgeting/vote.html", status=status, process=process, projects=projects,
                  form=form, chosen=chosen, errors=errors, mine=mine,
                  total=sum(p.cost for p in projects if chosen.get(p.id)),
                  used_points=sum(chosen.values()))


def _published(process_id: int):
    process = queries.process_or_404(process_id)
    result = results.result_of(process)
    if not permissions.can_see_results(current_user, result):
        abort(404)
    return process, result


def results_page(process_id: int):
    process, result = _published(process_id)
    other = "greedy" if result.data["rule"] == "mes" else "mes"
    budgets = result.data["budgets"]
    reasons = {budget["key"]: {p["id"]: explain.reason(p, result.data["rule"], budget["share"])
                               for p in budget["projects"]} for budget in budgets}
    totals = {budget["key"]: {name: sum(p["cost"] for p in results.winners(budget, name))
                              for name in ("greedy", "mes")} for budget in budgets}
    districts = queries.district_names()
    return render("budgeting/results.html", process=process, result=result, budgets=budgets,
                  reasons=reasons, totals=totals,
                  district_label=lambda key: _group_label(key, lambda k: localized(
                      districts[k], "name") if k in districts else str(k)),
                  age_label=lambda key: _group_label(key, lambda k: str(
                      AGE_BAND_LABELS.get(k, k))),
                  rule=result.data["rule"], other=other, funded=explain.funded,
                  titles={p.id: p for p in process.projects},
                  districts=districts, turnout=result.data["turnout"])


def _group_label(key, name) -> str:
    return _("その他・未回答") if key == "other" else name(key)


def pabulib_file(process_id: int):
    process, result = _published(process_id)
    key = request.args.get("budget", results.CITY)
    text = result.pabulib.get(key) if isinstance(key, str) else None
    if text is None:
        abort(404)
    return Response(text, mimetype="text/plain; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="komoro-budget-{process.id}-{key}.pb"'})


@login_required
def my_vote(process_id: int):
    process, result = _published(process_id)
    mine = ballots.my_ballot(current_user, process)
    rows = []
    if mine is not None:
        rows = explain.my_vote({c.project_id: c.points for c in mine.choices},
                               result.data["budgets"], queries.shares_of(mine),
                               result.data["rule"])
    return render("budgeting/my_vote.html", process=process, result=result, mine=mine,
                  rows=rows, rule=result.data["rule"], titles={p.id: p for p in process.projects})
