"""The proposal page, and supporting, commenting and reporting on it.

Each action works as a plain form and, with htmx, in place.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.core.forms import ActionForm
from komoro_engage.core.htmx import is_htmx, render, wants_fragment
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.page_cache import for_visitors
from komoro_engage.extensions import db, limiter
from komoro_engage.proposals import engagement, permissions, plan_menus, queries
from komoro_engage.proposals.forms import CommentForm, ReportForm
from komoro_engage.proposals.lifecycle.record import city_record
from komoro_engage.proposals.models import Comment, Proposal
from komoro_engage.proposals.views import _load, bp

REPORT_LIMIT = "20 per hour"
COMMENT_LIMIT = "30 per hour; 100 per day"
LINE_SHARE = "https://social-plugins.line.me/lineit/share?url="


def _absolute(path: str) -> str:
    """Links that leave the site (LINE, Open Graph) use the public base address."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def share_url(proposal: Proposal) -> str:
    return _absolute(url_for("proposals.detail", proposal_id=proposal.id))


def comment_context(subject, can_post: bool, action: str, page_endpoint: str,
                    comment_form: CommentForm | None = None, reply_to: int | None = None,
                    readable: bool = True, **page_args) -> dict:
    """The comment section of a proposal or project page (3 queries), shared by both.

    ``comment_form`` carries what was typed and its errors back to the form it came
    from: the main form, or the reply form under comment ``reply_to``. ``action`` is
    where the forms post; ``page_endpoint`` and ``page_args`` build the pager's links.
    """

    def reply_form(comment_id: int) -> CommentForm:
        if comment_form is not None and reply_to == comment_id:
            return comment_form
        return CommentForm(formdata=None, prefix=f"reply{comment_id}")

    def comment_page_url(number: int) -> str:
        return url_for(page_endpoint, page=number, **page_args) + "#comments"

    signed_in = current_user.is_authenticated
    page = queries.ProposalFilters.from_args(request.args).page if readable else 1
    threads, comment_pages = (queries.comment_threads(subject, page) if readable else ([], 1))
    return {
        "comment_subject": subject, "threads": threads, "comment_page": page,
        "comment_pages": comment_pages, "comment_page_url": comment_page_url,
        # Every form on the page needs a signed-in person: none are built for visitors.
        "comment_form": (comment_form if comment_form is not None and reply_to is None
                         else CommentForm(formdata=None) if signed_in else None),
        "reply_form": reply_form, "reply_to": reply_to, "can_post": can_post,
        "comment_action": action, "action_form": ActionForm() if signed_in else None,
    }


def subject_url(subject) -> str:
    """The page of the proposal or project a comment belongs to."""
    if isinstance(subject, Proposal):
        return url_for("proposals.detail", proposal_id=subject.id)
    return url_for("projects.detail", project_id=subject.id)


def detail_context(proposal: Proposal, comment_form: CommentForm | None = None,
                   reply_to: int | None = None, with_record: bool = True) -> dict:
    """Everything the detail page and its fragments need (a fixed number of queries).

    ``with_record=False`` skips the city's record, for fragments that do not show it.
    """
    readable = permissions.can_read_text(current_user, proposal)
    url = share_url(proposal)
    return {
        **comment_context(proposal, permissions.can_comment(current_user, proposal),
                          url_for("proposals.comment", proposal_id=proposal.id),
                          "proposals.detail", comment_form, reply_to, readable,
                          proposal_id=proposal.id),
        "proposal": proposal, "readable": readable,
        "links": plan_menus.links(proposal) if readable else {},
        "supported": engagement.has_supported(current_user, proposal),
        "share_url": url,
        "og_image": (_absolute(url_for("media.photo", key=proposal.photos[0].key))
                     if proposal.photos and readable else None),
        "line_url": LINE_SHARE + quote(url, safe=""),
        "record": city_record(proposal) if with_record else None,  # 3 statements
    }


@bp.get("/proposals/<int:proposal_id>")
@for_visitors
def detail(proposal_id: int):
    """The proposal page: text, photos, support, sharing and comments (or a notice)."""
    proposal = _load(proposal_id, queries.proposal_page)
    return render("proposals/detail.html", **detail_context(proposal))


def _load_for_action(proposal_id: int) -> Proposal:
    """The proposal row alone: supporting needs none of the page's photos, areas or measures."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if not permissions.can_view(current_user, proposal):
        abort(404)
    return proposal


def _support_response(proposal: Proposal, supported: bool, form: ActionForm):
    """After the action the state is known: no query to ask whether the user supports."""
    if is_htmx():
        return render("proposals/_support.html", block="support_box", proposal=proposal,
                      supported=supported, action_form=form)
    return redirect(url_for("proposals.detail", proposal_id=proposal.id) + "#support")


def _support_action(proposal_id: int, action, supported: bool, message: str):
    """Support or withdraw: load, check, act, answer, commit."""
    proposal = _load_for_action(proposal_id)
    form = ActionForm()
    if not permissions.can_support(current_user, proposal) or not form.validate():
        abort(403)
    if action(current_user, proposal):
        _commit_keeping_loaded_rows()
        if not is_htmx():
            flash(message, "success")
    return _support_response(proposal, supported, form)


def _commit_keeping_loaded_rows() -> None:
    """Commit without expiring the loaded rows.

    A commit normally expires them, and the answer would read the proposal and the
    person again (two queries, with SQLite's writers queueing behind) for values this
    request already holds: the counter came back from the UPDATE … RETURNING.
    """
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


@bp.post("/proposals/<int:proposal_id>/support")
@login_required
@limiter.limit("120 per hour", key_func=rate_limit_key)
def support(proposal_id: int):
    return _support_action(proposal_id, engagement.support_proposal, True, _("賛同しました。"))


@bp.post("/proposals/<int:proposal_id>/unsupport")
@login_required
def unsupport(proposal_id: int):
    return _support_action(proposal_id, engagement.withdraw_support, False,
                           _("賛同を取り消しました。"))


def post_comment(subject, context_for):
    """Post a comment or reply on ``subject``; htmx gets the refreshed comment section back.

    ``context_for(form, reply_to)`` builds the page context for re-rendering.
    """
    parent = None
    if request.form.get("parent_id", "").isdigit():
        parent = db.session.get(Comment, int(request.form["parent_id"]))
        if parent is None or parent.subject is not subject:
            abort(400)
    form = CommentForm(prefix=f"reply{parent.id}") if parent else CommentForm()
    created = None
    if form.validate_on_submit():
        created = engagement.add_comment(current_user, subject, form.body.data,
                                         form.stance.data, parent)
        db.session.commit()
        if not is_htmx():
            flash(_("コメントを投稿しました。"), "success")
            return redirect(subject_url(subject) + f"#comment-{created.id}")
        form = None
    else:
        # htmx replaces the whole section: focus returns to the text that needs fixing
        form.body.render_kw = {**(form.body.render_kw or {}), "autofocus": True}
    context = context_for(form, parent.id if parent and form else None)
    status = 200 if is_htmx() or form is None else 422
    template = ("proposals/detail.html" if isinstance(subject, Proposal)
                else "projects/detail.html")
    return render(template, block="comments", status=status,
                  focus_comment=created.id if created else None, **context)


@bp.post("/proposals/<int:proposal_id>/comments")
@login_required
@limiter.limit(COMMENT_LIMIT, key_func=rate_limit_key)
def comment(proposal_id: int):
    proposal = _load(proposal_id)
    if not permissions.can_comment(current_user, proposal):
        abort(403)
    # An htmx post gets the comments fragment back: the city's record is not in it.
    return post_comment(proposal, lambda form, reply_to: detail_context(
        proposal, form, reply_to, with_record=not wants_fragment()))


def _load_comment(comment_id: int) -> Comment:
    comment = db.get_or_404(Comment, comment_id)
    # Every project is public; a proposal's comments only where its text is.
    if comment.proposal is not None and not permissions.can_read_text(current_user,
                                                                       comment.proposal):
        abort(404)
    return comment


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    comment = _load_comment(comment_id)
    if not permissions.can_edit_comment(current_user, comment):
        abort(403)
    form = CommentForm(obj=None if request.method == "POST" else comment)
    if request.method == "GET":
        form.stance.data = comment.stance or ""
    if form.validate_on_submit():
        engagement.edit_comment(comment, form.body.data, form.stance.data)
        db.session.commit()
        flash(_("コメントを更新しました。"), "success")
        return redirect(subject_url(comment.subject) + f"#comment-{comment.id}")
    return render("proposals/comment_edit.html", form=form, comment=comment,
                  back_url=subject_url(comment.subject) + f"#comment-{comment.id}",
                  status=422 if form.errors else 200)


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete_comment(comment_id: int):
    comment = _load_comment(comment_id)
    if not permissions.can_delete_comment(current_user, comment) or not ActionForm().validate():
        abort(403)
    engagement.delete_comment(comment)
    db.session.commit()
    flash(_("コメントを削除しました。"), "success")
    return redirect(subject_url(comment.subject) + f"#comment-{comment.id}")


def _report(target: Proposal | Comment, subject):
    if not permissions.can_report(current_user):
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        created = engagement.report_item(current_user, target, form.reason.data,
                                         form.detail.data or "")
        db.session.commit()
        flash(_("通報を受け付けました。ご協力ありがとうございます。") if created
              else _("この内容はすでに通報済みです。"), "success")
        return redirect(subject_url(subject))
    return render("proposals/report.html", form=form, target=target, subject=subject,
                  subject_url=subject_url(subject),
                  status=422 if form.errors else 200)


@bp.route("/proposals/<int:proposal_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(REPORT_LIMIT, key_func=rate_limit_key, methods=["POST"])
def report_proposal(proposal_id: int):
    proposal = _load(proposal_id)
    return _report(proposal, proposal)


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(REPORT_LIMIT, key_func=rate_limit_key, methods=["POST"])
def report_comment(comment_id: int):
    comment = _load_comment(comment_id)
    return _report(comment, comment.subject)
