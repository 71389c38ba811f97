"""Quick polls: staff place one; people answer it in place (htmx) or by a plain form."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import render, render_form, wants_fragment
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.redirects import safe_next
from komoro_engage.extensions import limiter
from komoro_engage.surveys import permissions, polls
from komoro_engage.surveys.forms import PollForm
from komoro_engage.surveys.models import Survey


@login_required
def new_poll():
    if not permissions.can_manage(current_user):
        abort(403)
    form = PollForm()
    if form.validate_on_submit():
        poll = polls.create_poll(current_user, form.prompt.data, form.lines("options"),
                                 form.placement.data, form.placement_id.data)
        flash(_("クイック投票を置きました。"), "success")
        return redirect(url_for("surveys.edit", survey_id=poll.id))
    return render_form("surveys/poll_form.html", form)


@login_required
@limiter.limit("60 per hour", key_func=rate_limit_key)
def vote(survey_id: int):
    poll = load_permitted(Survey, survey_id, permissions.can_answer)
    if not poll.is_poll:
        abort(404)
    question = polls.question_of(poll)
    options = {str(option.id): option.id for option in question.options}
    chosen = request.form.get("option", "")
    error = None
    if chosen in options:
        polls.vote(poll, current_user, options[chosen])
    else:
        error = _("選択肢から選んでください。")
    if wants_fragment():
        return render("surveys/_poll.html", block="poll", status=422 if error else 200,
                      error=error, **polls.poll_view(poll, current_user))
    if error:
        flash(error, "error")
    return redirect(safe_next(request.form.get("next")) + f"#poll-{poll.id}")
