"""The proposal page, and supporting, commenting and reporting on it.

Each action works as a plain form and, with htmx, in place. Comments are the
comments package's (registered here as the "proposal" kind); reports go through
moderation's report page.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.accounts.permissions import is_staff
from komoro_engage.comments import commentable
from komoro_engage.comments.forms import CommentForm
from komoro_engage.comments.sections import comment_section
from komoro_engage.comments.views import COMMENT_LIMIT, post_comment
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.htmx import is_htmx, render, wants_fragment
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.page_cache import for_visitors
from komoro_engage.core.transaction import commit_before_answer
from komoro_engage.extensions import db, limiter
from komoro_engage.moderation.reports import register_reportable
from komoro_engage.moderation.views import REPORT_LIMIT, report_page
from komoro_engage.plan.places import public_place
from komoro_engage.proposals import engagement, permissions, plan_menus
from komoro_engage.proposals.lifecycle.record import city_record
from komoro_engage.proposals.models import Proposal
from komoro_engage.proposals.reader import proposal_page
from komoro_engage.proposals.views.pages import _load

LINE_SHARE = "https://social-plugins.line.me/lineit/share?url="


def _absolute(path: str) -> str:
    """Links that leave the site (LINE, Open Graph) use the public base address."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def share_url(proposal: Proposal) -> str:
    return _absolute(url_for("proposals.detail", proposal_id=proposal.id))


def detail_context(proposal: Proposal, comment_form: CommentForm | None = None,
                   reply_to: int | None = None, with_record: bool = True,
                   comment_page: int | None = None) -> dict:
    """Everything the detail page and its fragments need (a fixed number of queries).

    ``with_record=False`` skips the city's record, for fragments that do not show it;
    ``comment_page``: the page of comments to show (after a post, the poster's).
    """
    readable = permissions.can_read_text(current_user, proposal)
    url = share_url(proposal)
    return {
        **comment_section(proposal, comment_form, reply_to, comment_page),
        "proposal": proposal, "readable": readable,
        "links": plan_menus.links(proposal) if readable else {},
        "supported": engagement.has_supported(current_user, proposal),
        "share_url": url,
        "og_image": (_absolute(url_for("media.photo", key=proposal.photos[0].key))
                     if proposal.photos and readable else None),
        "line_url": LINE_SHARE + quote(url, safe=""),
        # 3 statements; staff see the answer's staff-only steps in the timeline too
        "record": city_record(proposal, staff=is_staff(current_user)) if with_record else None,
        "place": public_place(proposal),
        "exact_place": ((proposal.latitude, proposal.longitude)
                        if proposal.latitude is not None
                        and permissions.can_see_exact_place(current_user, proposal) else None),
    }


@for_visitors
def detail(proposal_id: int):
    """The proposal page: text, photos, support, sharing and comments (or a notice)."""
    proposal = _load(proposal_id, proposal_page)
    return render("proposals/detail.html", **detail_context(proposal))


def _load_for_action(proposal_id: int) -> Proposal:
    """The proposal row alone: supporting needs none of the page's photos, areas or measures."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if not permissions.can_view(current_user, proposal):
        abort(404)
    return proposal


def _support_response(proposal: Proposal, supported: bool, form: ActionForm, message: str):
    """After the action the state is known: no query to ask whether the user supports.

    In place, the box itself says what happened (a flash would need the whole page)."""
    if is_htmx():
        return render("proposals/_support.html", block="support_box", proposal=proposal,
                      supported=supported, action_form=form, toggle_message=message)
    return redirect(url_for("proposals.detail", proposal_id=proposal.id) + "#support")


def _support_action(proposal_id: int, action, supported: bool, message: str):
    """Support or withdraw: load, check, act, answer, commit."""
    proposal = _load_for_action(proposal_id)
    form = ActionForm()
    if not permissions.can_support(current_user, proposal) or not form.validate():
        abort(403)
    if action(current_user, proposal):
        commit_before_answer()  # commit: the busiest write frees its row before the answer renders
        if not is_htmx():
            flash(message, "success")
    return _support_response(proposal, supported, form, message)


@login_required
@limiter.limit("120 per hour", key_func=rate_limit_key)
def support(proposal_id: int):
    return _support_action(proposal_id, engagement.support_proposal, True, _("賛同しました。"))


@login_required
def unsupport(proposal_id: int):
    return _support_action(proposal_id, engagement.withdraw_support, False,
                           _("賛同を取り消しました。"))


@login_required
@limiter.limit(COMMENT_LIMIT, key_func=rate_limit_key)
def comment(proposal_id: int):
    return post_comment("proposal", proposal_id)


@login_required
@limiter.limit(REPORT_LIMIT, key_func=rate_limit_key, methods=["POST"])
def report_proposal(proposal_id: int):
    proposal = _load(proposal_id)
    return report_page(proposal, proposal, url_for("proposals.detail", proposal_id=proposal.id))


def _load_for_comments(proposal_id: int) -> Proposal:
    # An htmx comment post gets the comments fragment back: the proposal's row is all it
    # shows (its photos, plan links and city record were loaded for nothing).
    return _load_for_action(proposal_id) if wants_fragment() else _load(proposal_id)


def _comment_page_context(proposal: Proposal, form, reply_to: int | None,
                          comment_page: int | None) -> dict:
    if wants_fragment():
        return {"proposal": proposal, **comment_section(proposal, form, reply_to, comment_page)}
    return detail_context(proposal, form, reply_to, comment_page=comment_page)


def register() -> None:
    """Proposals take comments and reports; called once from the package."""
    commentable.register(commentable.Commentable(
        name="proposal", load=_load_for_comments, can_read=permissions.can_read_text,
        can_comment=permissions.can_comment, page_endpoint="proposals.detail",
        post_endpoint="proposals.comment", id_arg="proposal_id",
        template="proposals/detail.html", page_context=_comment_page_context))
    register_reportable("proposal", engagement.hide_reported_proposal)
