"""主催者からのお知らせ: write, check (how many people it reaches), send; and the archive.

Everything works as plain forms: the write step posts to itself with 確認する; the check
page carries the typed text in hidden fields with 送信する and 修正する buttons.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import render, render_form
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.extensions import limiter
from komoro_engage.projects import permissions
from komoro_engage.projects.forms import MessageForm
from komoro_engage.projects.message_models import ProjectMessage
from komoro_engage.projects.messages import (
    DAILY_LIMIT,
    DailyLimitReached,
    MessageData,
    audiences_of,
    messages_of,
    recipients,
    send_message,
    sent_today,
)
from komoro_engage.projects.models import Project


def _limit_text() -> str:
    return _("お知らせは1つのプロジェクトにつき1日%(n)s件までです。明日また送れます。",
             n=DAILY_LIMIT)


def _form_page(form: MessageForm, project: Project):
    return render_form("projects/message_form.html", form, project=project)


@login_required
@limiter.limit("30 per hour", key_func=rate_limit_key, methods=["POST"])
def new_message(project_id: int):
    """Organisers (and staff) write to members, the waiting list and/or partners."""
    project = load_permitted(Project, project_id, permissions.can_send_message)
    form = MessageForm()
    if request.method == "GET":
        form.key.data = secrets.token_urlsafe(24)
        form.audiences.data = ["members"]
        return _form_page(form, project)
    if not form.validate() or request.form.get("step") == "edit":
        if form.key.errors:  # not a key this form made: give a fresh one, say what to do
            form.key.data = secrets.token_urlsafe(24)
            form.form_errors.append(_("内容を確かめて、もう一度「確認する」を押してください。"))
        return _form_page(form, project)
    if request.form.get("step") == "send":
        return _send(project, form)  # the service checks the key first, then the limit
    if sent_today(project) >= DAILY_LIMIT:
        form.form_errors.append(_limit_text())
        return _form_page(form, project)
    people = recipients(project, form.audiences.data, current_user)
    if not people:
        form.audiences.errors.append(_("選んだ相手には、送れる人がいません。"))
        return _form_page(form, project)
    return render("projects/message_check.html", form=form, project=project, count=len(people))


def _send(project: Project, form: MessageForm):
    try:
        message, sent = send_message(current_user, project, MessageData(
            audiences=form.audiences.data, subject=form.subject.data, body=form.body.data,
            submission_key=form.key.data))
    except DailyLimitReached:
        form.form_errors.append(_limit_text())
        return _form_page(form, project)
    if message.project_id != project.id:  # a key copied from another form: not this one
        abort(400)
    if sent:
        flash(ngettext("お知らせを%(num)s人に送りました。", "お知らせを%(num)s人に送りました。",
                       message.recipient_count), "success")
    else:
        flash(_("このお知らせは送信済みです。"), "success")
    return redirect(url_for("projects.message_detail", message_id=message.id))


@login_required
def message_list(project_id: int):
    """The archive: all messages for organisers and staff, a person's audiences' for others."""
    project = load_permitted(Project, project_id, permissions.can_view, refused=404)
    if not permissions.can_read_messages(current_user, project):
        abort(403)
    manage = permissions.can_manage(current_user, project)
    items = messages_of(project, None if manage else audiences_of(current_user, project))
    return render("projects/messages.html", project=project, items=items, manage=manage,
                  can_send=permissions.can_send_message(current_user, project))


@login_required
def message_detail(message_id: int):
    """One message; 404 for whoever was not among its audiences (its words are theirs)."""
    message = load_permitted(ProjectMessage, message_id, permissions.can_read_message,
                             refused=404)
    return render("projects/message.html", message=message, project=message.project,
                  manage=permissions.can_manage(current_user, message.project))

