"""Comment URLs: edit, delete and report a comment, and posting on any commentable kind.

Each feature names its own posting URL (``/proposals/<id>/comments``…) and hands
the request to :func:`post_comment` with its kind; the rest are comments' own.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.comments import commentable, permissions
from komoro_engage.comments.forms import CommentForm
from komoro_engage.comments.models import Comment
from komoro_engage.comments.queries import page_of
from komoro_engage.comments.services import add_comment, delete_comment, edit_comment
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import is_htmx, render, render_form
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.core.numbers import positive_int
from komoro_engage.core.transaction import commit_before_answer
from komoro_engage.extensions import db, limiter
from komoro_engage.moderation.views import REPORT_LIMIT, report_page

COMMENT_LIMIT = "30 per hour; 100 per day"

def _comment_url(comment: Comment) -> str:
    """The comment in place on its subject's page."""
    kind = comment.kind
    return kind.page_url(getattr(comment, kind.column)) + f"#comment-{comment.id}"


def post_comment(kind_name: str, subject_id: int):
    """Post a comment or reply on a subject of any registered kind (404 for others).

    The kind loads the subject (404) and says whether the person may comment (403);
    htmx gets the refreshed comment section of the subject's page back.
    """
    kind = commentable.get(kind_name)
    subject = kind.load(subject_id)
    if not kind.can_comment(current_user, subject):
        abort(403)
    parent = None
    if parent_id := positive_int(request.form.get("parent_id")):
        parent = db.session.get(Comment, parent_id)
        if parent is None or getattr(parent, kind.column) != subject.id:
            abort(400)
    form = CommentForm(prefix=f"reply{parent.id}") if parent else CommentForm()
    created = page = None
    if form.validate_on_submit():
        created = add_comment(current_user, subject, form.body.data, form.stance.data, parent)
        commit_before_answer()  # commit: a busy write frees its rows before the answer renders
        page = page_of(created)
        if not is_htmx():
            flash(_("コメントを投稿しました。"), "success")
            return redirect(kind.page_url(subject.id, page) + f"#comment-{created.id}")
        form = None
    else:
        # htmx replaces the whole section: focus returns to the text that needs fixing
        form.body.render_kw = {**(form.body.render_kw or {}), "autofocus": True}
    context = kind.page_context(subject, form, parent.id if parent and form else None, page)
    status = 200 if is_htmx() or form is None else 422
    return render(kind.template, block="comments", status=status,
                  focus_comment=created.id if created else None, **context)


def _load_comment(comment_id: int) -> Comment:
    # A comment the person may not read is, for them, a comment that does not exist.
    return load_permitted(Comment, comment_id, permissions.can_read_comment, refused=404)


@login_required
def edit(comment_id: int):
    comment = _load_comment(comment_id)
    if not permissions.can_edit_comment(current_user, comment):
        abort(403)
    form = CommentForm(obj=None if request.method == "POST" else comment)
    if request.method == "GET":
        form.stance.data = comment.stance or ""
    if form.validate_on_submit():
        edit_comment(comment, form.body.data, form.stance.data)
        flash(_("コメントを更新しました。"), "success")
        return redirect(_comment_url(comment))
    return render_form("comments/edit.html", form, comment=comment,
                       back_url=_comment_url(comment))


@login_required
def delete(comment_id: int):
    comment = _load_comment(comment_id)
    if not permissions.can_delete_comment(current_user, comment) or not ActionForm().validate():
        abort(403)
    delete_comment(comment)
    flash(_("コメントを削除しました。"), "success")
    return redirect(_comment_url(comment))


@login_required
@limiter.limit(REPORT_LIMIT, key_func=rate_limit_key, methods=["POST"])
def report(comment_id: int):
    comment = _load_comment(comment_id)
    return report_page(comment, comment.subject, comment.kind.page_url(comment.subject.id))
