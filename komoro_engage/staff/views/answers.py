"""The city's answer to a proposal (市の回答): write a draft, preview it as the public will
see it, and publish it — directly, or through approval (決裁) when the city asks for it.

Load (404), check (403), act through lifecycle/drafts.py; the request commits once.
Every form works without JavaScript; a stale or repeated form (a double click, a draft
changed since it was shown) publishes nothing and says so.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required

from komoro_engage.core.forms import ConfirmForm, VersionForm, choices
from komoro_engage.core.htmx import render
from komoro_engage.extensions import db
from komoro_engage.proposals import permissions
from komoro_engage.proposals.labels import ANSWER_LABELS
from komoro_engage.proposals.lifecycle import drafts
from komoro_engage.proposals.lifecycle.answers import (
    AnswerData,
    AnswerNotAllowed,
    answer_choices_for,
)
from komoro_engage.proposals.lifecycle.models import ProposalAnswer
from komoro_engage.staff import handling
from komoro_engage.staff.forms import AnswerForm, ReturnDraftForm
from komoro_engage.staff.views import acting_user, load_proposal

PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}


def _answerable(proposal_id: int):
    proposal = load_proposal(proposal_id)
    staff = acting_user()
    if not permissions.can_answer(staff, proposal):
        abort(403)
    return proposal, staff


def _to_preview(proposal_id: int):
    return redirect(url_for("staff.answer_preview", proposal_id=proposal_id))


def _to_proposal(proposal_id: int):
    return redirect(url_for("proposals.detail", proposal_id=proposal_id, _anchor="city-record"))


@login_required
def answer(proposal_id: int):
    """The draft of 市の回答: 検討中 / 採用 / 見送り with the text, department and date
    (first filled in from the proposal's current assignment).

    Saving keeps it as a draft (nothing public changes) and opens its preview.
    """
    proposal, staff = _answerable(proposal_id)
    draft = drafts.draft_of(proposal)
    if draft is not None and draft.is_submitted:
        flash(_("この回答は決裁待ちのため編集できません。差し戻されると編集できます。"), "error")
        return _to_preview(proposal.id)
    published = db.session.get(ProposalAnswer, proposal.id)
    start = draft or (published if published and published.is_answered else None)
    form = AnswerForm(obj=start)
    allowed = answer_choices_for(proposal)
    form.status.choices = choices(*[(value, ANSWER_LABELS[value]) for value in allowed])
    if form.status.data is None and len(allowed) == 1:
        form.status.data = allowed[0]
    if not form.is_submitted() and not form.department.data:
        # The answering department is the one the proposal is routed to (staff/handling.py).
        current = handling.current_assignment(proposal.id)
        form.department.data = current.department.name if current else ""
    if form.validate_on_submit():
        if form.status.data not in allowed:
            abort(409)
        try:
            drafts.save_draft(staff, proposal, AnswerData(
                form.status.data, form.body.data, form.department.data, form.answered_on.data,
                form.body_easy.data))
        except drafts.DraftLocked:
            flash(_("この回答は決裁待ちのため編集できません。差し戻されると編集できます。"),
                  "error")
            return _to_preview(proposal.id)
        flash(_("下書きを保存しました。まだ公開されていません。"), "success")
        return _to_preview(proposal.id)
    return render("staff/answer.html", form=form, proposal=proposal, answer=published,
                  draft=draft, status=422 if form.errors else 200)


def _preview(proposal, staff, confirm_form=None, return_form=None, status=200):
    draft = drafts.draft_of(proposal)
    if draft is None:
        abort(404)
    version = {"version": draft.version}
    response = render(
        "staff/answer_preview.html", proposal=proposal, draft=draft,
        preview=drafts.DraftPreview.of(draft), approval=drafts.approval_required(),
        can_approve=drafts.can_approve_draft(staff, draft),
        confirm_form=confirm_form or ConfirmForm(formdata=None, data=version),
        return_form=return_form or ReturnDraftForm(formdata=None, data=version),
        submit_form=VersionForm(formdata=None, data=version), status=status)
    response.headers.update(PRIVATE)
    return response


@login_required
def answer_preview(proposal_id: int):
    """The draft as the proposal's page will show it (bannered, noindex, never cached),
    with what may be done next: publish, submit for approval, approve or return."""
    proposal, staff = _answerable(proposal_id)
    return _preview(proposal, staff)


def _conflict(proposal_id: int):
    flash(_("回答の下書きが、表示した後に変更・公開・差し戻しされています。最新の内容を確かめてください。"),
          "error")
    return _to_proposal(proposal_id)


@login_required
def publish_answer(proposal_id: int):
    """Publish the previewed draft (approval off); the confirmation box is required."""
    proposal, staff = _answerable(proposal_id)
    if drafts.approval_required():
        abort(403)
    form = ConfirmForm()
    if not form.validate():
        if drafts.draft_of(proposal) is None:
            return _conflict(proposal.id)
        return _preview(proposal, staff, confirm_form=form, status=422)
    try:
        drafts.publish_draft(staff, proposal, form.version.data)
    except (drafts.DraftConflict, drafts.DraftLocked):
        return _conflict(proposal.id)
    except AnswerNotAllowed:
        abort(409)
    flash(_("市の回答を公開しました。"), "success")
    return _to_proposal(proposal.id)


@login_required
def submit_answer(proposal_id: int):
    """Send the draft for approval (決裁) by another staff member or an admin."""
    proposal, staff = _answerable(proposal_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    try:
        drafts.submit_draft(staff, proposal, form.version.data)
    except drafts.DraftConflict:
        return _conflict(proposal.id)
    flash(_("回答を決裁に回しました。承認されると公開されます。"), "success")
    return _to_preview(proposal.id)


def _draft_for_approver(proposal, staff):
    """The proposal's draft; 403 when it waits for approval that ``staff`` may not give."""
    draft = drafts.draft_of(proposal)
    if draft is not None and draft.is_submitted and not drafts.can_approve_draft(staff, draft):
        abort(403)
    return draft


@login_required
def approve_answer(proposal_id: int):
    """Approve a submitted draft, which publishes it: not its author's or submitter's own."""
    proposal, staff = _answerable(proposal_id)
    draft = _draft_for_approver(proposal, staff)
    form = ConfirmForm()
    if not form.validate():
        if draft is None:
            return _conflict(proposal.id)
        return _preview(proposal, staff, confirm_form=form, status=422)
    try:
        drafts.approve_draft(staff, proposal, form.version.data)
    except drafts.NotYourApproval:
        abort(403)
    except drafts.DraftConflict:
        return _conflict(proposal.id)
    except AnswerNotAllowed:
        abort(409)
    flash(_("回答を承認し、公開しました。"), "success")
    return _to_proposal(proposal.id)


@login_required
def return_answer(proposal_id: int):
    """Send a submitted draft back to its author, with a reason."""
    proposal, staff = _answerable(proposal_id)
    draft = _draft_for_approver(proposal, staff)
    form = ReturnDraftForm()
    if not form.validate():
        if draft is None:
            return _conflict(proposal.id)
        return _preview(proposal, staff, return_form=form, status=422)
    try:
        drafts.return_draft(staff, proposal, form.version.data, form.reason.data)
    except drafts.NotYourApproval:
        abort(403)
    except drafts.DraftConflict:
        return _conflict(proposal.id)
    flash(_("回答を差し戻しました。"), "success")
    return _to_preview(proposal.id)
