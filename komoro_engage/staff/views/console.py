"""The console's queues (/staff), the actions taken on their items, and suspending.

Views load (404), check a permission (403) and call one service; the request commits once.
Every page works as plain forms; htmx swaps a handled item out of its queue.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from komoro_engage.accounts import roles
from komoro_engage.accounts.models import User
from komoro_engage.core.forms import ActionForm, ReasonForm
from komoro_engage.core.htmx import is_htmx, render
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.models import Proposal
from komoro_engage.staff import (
    actions,
    bulk_links,
    messages,
    permissions,
    queries,
    reported,
    shown,
    undo,
)
from komoro_engage.staff.forms import BulkLinkForm, ConsoleActionForm
from komoro_engage.staff.views import acting_user
from komoro_engage.staff.views.proposal import blank_bulk_link_form, bulk_link_form

UNDO_REFUSED = {
    "expired": _l("元に戻せる時間（5分）が過ぎました。必要なら、もう一度操作してください。"),
    "changed": _l("その後ほかの操作があったため、元に戻せません。"),
    "invalid": _l("元に戻せませんでした。"),
}


def _queue_arg(raw: str | None) -> str:
    return raw if raw in queries.QUEUES else "pending"


def _queue_page(queue: str, user_id: int):
    page = request.args.get("page")
    if queue in queries.MINE:
        return queries.mine_page(page, user_id, overdue=queue == "mine_overdue")
    if queue == "pending":
        return queries.pending_page(page)
    if queue == "statements":
        return queries.statements_page(page)
    if queue == "reports":
        return reported.reports_page(page)
    if queue == "projects":
        return queries.projects_page(page)
    if queue == "unverified":
        return queries.unverified_page(page)
    if queue == "approvals":
        return queries.approval_page(page)
    return queries.answer_page(page, overdue=queue == "overdue")


# Queues where ticked proposals are linked to a measure at once.
LINK_QUEUES = shown.LINK_QUEUES
UNDO_KEY = "staff_undo"


def _ticked() -> set[str]:
    """The ticks of a bulk form sent back (an inline form's one target is no tick)."""
    if request.method != "POST" or request.form.get("inline"):
        return set()
    return set(request.form.getlist("targets"))


def _console(queue: str, form: ConsoleActionForm | None = None, errors: dict | None = None,
             status: int = 200, summary: list | None = None, ticked: set | None = None,
             link_form: BulkLinkForm | None = None):
    page = _queue_page(queue, current_user.id)
    offered = undo.read(session.get(UNDO_KEY, ""))
    # A plain dict: each card asks it, and a MultiDict's get raises and catches an HTTP
    # error for every key it lacks (a GET's form has none; 2 % of a queue page, py-spy).
    typed = request.form.to_dict()
    errors = errors or {}
    ticked = _ticked() if ticked is None else ticked
    return render("staff/console.html", block="queue", queue=queue, page=page,
                  shown=shown.shown_items(queue, page.items, ticked=ticked, errors=errors,
                                          typed=typed),
                  counts=queries.queue_counts(user_id=current_user.id),
                  form=form or ConsoleActionForm(),
                  item_errors=errors, typed=typed, summary=summary or [],
                  link_form=link_form if queue in LINK_QUEUES else None,
                  blank_link_form=blank_bulk_link_form(queue)
                  if queue in LINK_QUEUES and link_form is None else None,
                  undo_offer=offered and session[UNDO_KEY], status=status)


@login_required
def console():
    """Queues with their counts: pending, consultation statements to check, reported, past
    the threshold, overdue, projects, unverified organisations."""
    acting_user()
    return _console(_queue_arg(request.args.get("queue")))


def _remember_undo(token: str | None) -> None:
    if token:
        session[UNDO_KEY] = token
    else:
        session.pop(UNDO_KEY, None)


def _left(outcome) -> list[tuple[str, str, str]]:
    """The summary of items left: (key, title, why)."""
    reasons = messages.why(outcome)
    return [(key, outcome.titles.get(key, ""), reasons[key]) for key in outcome.skipped]


@login_required
def act():
    """Approve, send back, hide, restore or dismiss reports: one item or the ticked ones.
    The message names the items; a hide can be taken back for a few minutes (undo.py);
    items left keep their ticks and say why, with the action and reason kept."""
    staff = acting_user()
    queue = _queue_arg(request.form.get("queue"))
    form = ConsoleActionForm()
    single = len(form.targets.data or []) == 1 and request.form.get("inline") == "1"
    if not form.validate():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        if single and is_htmx():
            return _inline_error(form.targets.data[0], message)
        key = form.targets.data[0] if single else ""
        return _console(queue, form, {key: message}, status=422)
    outcome = actions.apply_to_many(staff, form.action.data, form.parsed_targets,
                                    form.reason.data or "")
    token = undo.offer(staff, form.action.data, outcome, outcome.done)
    _remember_undo(token)
    done = messages.done_message(form.action.data, outcome) if outcome.done else ""
    if single and is_htmx():
        return render("staff/_done.html", block="done", key=form.targets.data[0],
                      done=done, why=messages.why(outcome),
                      counts=queries.queue_counts(user_id=staff.id),
                      queue=queue, undo_offer=token)
    if done:
        flash(done, "success")
    if outcome.skipped:
        # 200, not 422: what was done is kept (the request commits).
        return _console(queue, form, messages.why(outcome), summary=_left(outcome),
                        ticked=set(outcome.skipped))
    return redirect(url_for("staff.console", queue=queue))


@login_required
def take_back():
    """元に戻す: take back the last hide within its few minutes (undo.py), audited."""
    staff = acting_user()
    queue = _queue_arg(request.form.get("queue"))
    if not ActionForm().validate():
        abort(400)
    try:
        outcome = undo.undo(staff, request.form.get("token", ""))
    except undo.UndoRefused as refused:
        flash(str(UNDO_REFUSED.get(refused.why, UNDO_REFUSED["invalid"])), "error")
        _remember_undo(None)
        return redirect(url_for("staff.console", queue=queue))
    _remember_undo(None)
    flash(messages.done_message("undo", outcome), "success")
    return redirect(url_for("staff.console", queue=queue))


@login_required
def link_many():
    """Link the ticked proposals of an answer queue to one measure, with one reason."""
    staff = acting_user()
    queue = request.form.get("queue")
    queue = queue if queue in LINK_QUEUES else LINK_QUEUES[0]
    form = bulk_link_form()
    if not form.validate():
        return _console(queue, link_form=form, status=422)
    measure = db.get_or_404(Measure, form.measure.data)
    outcome = bulk_links.link_many(staff, form.proposal_ids, measure, form.fiscal_year.data,
                                   form.note.data)
    if outcome.done:
        flash(messages.done_message("link", outcome, code=measure.code), "success")
    if outcome.skipped:
        return _console(queue, errors=messages.why(outcome), summary=_left(outcome),
                        ticked=set(outcome.skipped), link_form=form)
    return redirect(url_for("staff.console", queue=queue))


def _inline_error(key: str, message: str):
    """htmx: put the message next to the item's buttons, keep what was typed."""
    response = make_response(render("staff/_done.html", block="error", message=message))
    response.headers["HX-Retarget"] = f"#error-{key.replace(':', '-')}"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


@login_required
def suspend(user_id: int):
    """Admins suspend an account from the console, with a reason (audited)."""
    staff = acting_user()
    user = db.get_or_404(User, user_id)
    if not permissions.can_suspend(staff, user):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            roles.suspend_user(staff, user, form.reason.data.strip())
        except roles.NotAllowed:
            abort(409)
        flash(_("%(name)sさんを利用停止にしました。", name=user.nickname), "success")
        return redirect(url_for("staff.console", queue=request.args.get("queue", "reports")))
    recent = list(db.session.scalars(select(Proposal).where(Proposal.author_id == user.id)
                                     .order_by(Proposal.id.desc()).limit(5)))
    return render("staff/suspend.html", form=form, user=user, recent=recent,
                  status=422 if form.errors else 200)
