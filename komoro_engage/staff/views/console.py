"""The console's queues (/staff), the actions taken on their items, and suspending.

Views load (404), check a permission (403) and call one service; the request commits once.
Every page works as plain forms; htmx swaps a handled item out of its queue.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from komoro_engage.accounts import roles
from komoro_engage.accounts.models import User
from komoro_engage.core.forms import ReasonForm
from komoro_engage.core.htmx import is_htmx, render
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal
from komoro_engage.staff import actions, permissions, queries
from komoro_engage.staff.forms import ACTION_LABELS, ConsoleActionForm
from komoro_engage.staff.views import acting_user


def _queue_arg(raw: str | None) -> str:
    return raw if raw in queries.QUEUES else "pending"


def _queue_page(queue: str):
    page = request.args.get("page")
    if queue == "pending":
        return queries.pending_page(page)
    if queue == "statements":
        return queries.statements_page(page)
    if queue == "reports":
        return queries.reports_page(page)
    if queue == "projects":
        return queries.projects_page(page)
    if queue == "unverified":
        return queries.unverified_page(page)
    if queue == "approvals":
        return queries.approval_page(page)
    return queries.answer_page(page, overdue=queue == "overdue")


def _console(queue: str, form: ConsoleActionForm | None = None, errors: dict | None = None,
             status: int = 200):
    return render("staff/console.html", block="queue", queue=queue, page=_queue_page(queue),
                  counts=queries.queue_counts(), form=form or ConsoleActionForm(),
                  item_errors=errors or {}, typed=request.form, status=status)


@login_required
def console():
    """Queues with their counts: pending, consultation statements to check, reported, past
    the threshold, overdue, projects, unverified organisations."""
    acting_user()
    return _console(_queue_arg(request.args.get("queue")))


@login_required
def act():
    """Approve, send back, hide, restore or dismiss reports: one item or the ticked ones."""
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
    label = ACTION_LABELS[form.action.data]
    if single and is_htmx():
        return render("staff/_done.html", block="done", key=form.targets.data[0],
                      done=bool(outcome.done), label=label, counts=queries.queue_counts(),
                      queue=queue)
    if outcome.done:
        flash(_("%(action)s: %(n)d件を処理しました。", action=label, n=len(outcome.done)),
              "success")
    if outcome.skipped:
        flash(_("%(n)d件は状態が変わっていたため処理しませんでした。", n=len(outcome.skipped)),
              "error")
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
