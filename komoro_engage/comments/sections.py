"""The comment section of any subject's page, built by that page's view.

A page template includes ``comments/_section.html`` inside a block named
``comments`` and spreads :func:`comment_section` into its context; the same
block is the fragment htmx swaps in after a post.
"""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from komoro_engage.comments import commentable
from komoro_engage.comments.forms import CommentForm
from komoro_engage.comments.queries import comment_threads
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.numbers import page_number


def comment_section(subject, comment_form: CommentForm | None = None,
                    reply_to: int | None = None) -> dict:
    """The comment section of ``subject``'s page (3 queries where its comments show).

    ``comment_form`` carries what was typed and its errors back to the form it came
    from: the main form, or the reply form under comment ``reply_to``.
    """
    kind = commentable.kind_of(subject)

    def reply_form(comment_id: int) -> CommentForm:
        if comment_form is not None and reply_to == comment_id:
            return comment_form
        return CommentForm(formdata=None, prefix=f"reply{comment_id}")

    def comment_page_url(number: int) -> str:
        return url_for(kind.page_endpoint, page=number, **{kind.id_arg: subject.id}) + "#comments"

    signed_in = current_user.is_authenticated
    readable = kind.can_read(current_user, subject)
    page = page_number(request.args.get("page")) if readable else 1
    threads, comment_pages = comment_threads(kind, subject, page) if readable else ([], 1)
    return {
        "comment_subject": subject, "threads": threads, "comment_page": page,
        "comment_pages": comment_pages, "comment_page_url": comment_page_url,
        # Every form on the page needs a signed-in person: none are built for visitors.
        "comment_form": (comment_form if comment_form is not None and reply_to is None
                         else CommentForm(formdata=None) if signed_in else None),
        "reply_form": reply_form, "reply_to": reply_to,
        "can_post": kind.can_comment(current_user, subject),
        "comment_action": kind.post_url(subject.id),
        "action_form": ActionForm() if signed_in else None,
    }
