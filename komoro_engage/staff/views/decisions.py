"""Staff decisions from a proposal's own page: approve, send back, hide and restore
(each but approval with a reason); and the plain review queue linked from the list.

Every decision goes to the audit log (in the services). The console's queues take
the same decisions in bulk (staff/actions.py).
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from komoro_engage.core.forms import ActionForm, ReasonForm
from komoro_engage.core.htmx import render
from komoro_engage.proposals import permissions, queries
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.proposals.services import (
    approve_proposal,
    hide_proposal,
    restore_proposal,
    send_back_proposal,
)
from komoro_engage.staff.views import acting_user

# action → (permission, service, form label, page heading, button, message after)
DECISIONS = {
    "send-back": (permissions.can_moderate, send_back_proposal,
                  _l("差し戻しの理由（投稿者に表示されます）"), _l("提案を差し戻す"),
                  _l("差し戻す"), _l("提案を投稿者に差し戻しました。")),
    "hide": (permissions.can_hide, hide_proposal,
             _l("非表示の理由（提案のページに公開されます）"), _l("提案を非表示にする"),
             _l("非表示にする"), _l("提案を非表示にしました。")),
    "restore": (permissions.can_restore, restore_proposal,
                _l("再表示の理由（監査ログに記録されます）"), _l("提案を再表示する"),
                _l("再表示する"), _l("提案を再表示しました。")),
}


def _load(proposal_id: int) -> Proposal:
    """404 for whoever may not see the proposal (as on its page), before any 403."""
    proposal = queries.proposal_detail(proposal_id)
    if not permissions.can_view(current_user, proposal):
        abort(404)
    return proposal


@login_required
def review_queue():
    """Staff: proposals waiting for approval, oldest first."""
    acting_user()
    filters = queries.ProposalFilters.from_args(request.args)
    page = queries.simple_page(
        select(Proposal).where(Proposal.status == ProposalStatus.PENDING)
        .options(joinedload(Proposal.district), joinedload(Proposal.author))
        .order_by(Proposal.submitted_at, Proposal.id), filters.page, filters.per_page)
    return render("proposals/mine.html", page=page, heading=_("審査待ちの提案"),
                  endpoint="staff.review_queue")


@login_required
def approve(proposal_id: int):
    """Staff publish a pending proposal."""
    proposal = _load(proposal_id)
    if not permissions.can_moderate(current_user, proposal) or not ActionForm().validate():
        abort(403)
    approve_proposal(current_user, proposal)
    flash(_("提案を公開しました。"), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@login_required
def decide(proposal_id: int, action: str):
    """A staff decision that needs a written reason."""
    allowed, service, label, heading, button, done = DECISIONS[action]
    proposal = _load(proposal_id)
    if not allowed(current_user, proposal):
        abort(403)
    form = ReasonForm()
    form.reason.label.text = label
    if form.validate_on_submit():
        service(current_user, proposal, form.reason.data.strip())
        flash(str(done), "success")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return render("staff/decision.html", form=form, proposal=proposal, heading=heading,
                  button=button, action=action, status=422 if form.errors else 200)
