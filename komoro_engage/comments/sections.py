"""The comment section of any subject's page, built by that page's view.

A page template includes ``comments/_section.html`` inside a block named
``comments`` and spreads :func:`comment_section` into its context; the same
block is the fragment htmx swaps in after a post.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_login import current_user

from komoro_engage.comments import commentable
from komoro_engage.comments.forms import CommentForm
from komoro_engage.comments.permissions import can_delete_comment, can_edit_comment
from komoro_engage.comments.queries import CommentRow, Thread, comment_threads, shown_comments
from komoro_engage.core import clock
from komoro_engage.core.blank_forms import blank_form
from komoro_engage.core.dates import this_year
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.numbers import page_number, positive_int
from komoro_engage.core.urls import id_url
from komoro_engage.moderation.reports import can_report


@dataclass(frozen=True, slots=True)
class CommentLinks:
    """What the viewer may do with one comment: each link, or None where it is not theirs
    to follow. Asked once per comment here, where the template asked four functions per
    comment through Jinja's calls, which cost more than the answers (issue 16)."""

    edit: str | None
    report: str | None
    delete: str | None


def comment_links(viewer, threads: Iterable[Thread]) -> dict[int, CommentLinks]:
    """Each shown comment's links for ``viewer`` (the person, or the anonymous visitor)."""
    urls = {action: id_url(f"comments.{action}", "comment_id")
            for action in ("edit", "report", "delete")}
    may_report, now = can_report(viewer), clock.now()

    def links(comment: CommentRow) -> CommentLinks:
        reportable = may_report and comment.author_id != viewer.id
        return CommentLinks(
            urls["edit"](comment.id) if can_edit_comment(viewer, comment, now) else None,
            urls["report"](comment.id) if reportable else None,
            urls["delete"](comment.id) if can_delete_comment(viewer, comment) else None)
    return {comment.id: links(comment) for comment in shown_comments(threads)}


@dataclass(frozen=True, slots=True)
class ShownComment:
    """One comment as one viewer sees it: its row, their links, whether focus goes to it."""

    row: CommentRow
    links: CommentLinks
    focused: bool


@dataclass(frozen=True, slots=True)
class ShownThread:
    """A thread as one viewer sees it, everything its markup shows (with the language):
    it is kept rendered under these values (core/kept_cards.py, ``comments/_thread.html``).
    An edit, a hide, a renamed author, a link the viewer gains or loses is a new key.
    ``year``: a date in this year is written without it."""

    comments: tuple[ShownComment, ...]  # the top-level comment, then its replies
    reply_url: str | None  # the 返信する link: None where the viewer may not reply here
    year: int


def shown_threads(threads: list[Thread], links: dict[int, CommentLinks],
                  reply_urls: dict[int, str], focus: int | None) -> list[ShownThread]:
    """``threads`` as the viewer with ``links`` sees them; ``reply_urls``: their reply link
    under each thread they may answer; ``focus``: the comment just posted with htmx."""
    year = this_year()

    def shown(thread: Thread) -> ShownThread:
        comments = tuple(ShownComment(c, links[c.id], c.id == focus)
                         for c in (thread.comment, *thread.replies))
        return ShownThread(comments, reply_urls.get(thread.comment.id), year)
    return [shown(thread) for thread in threads]


def _blank_comment_form(markers: dict[str, str]) -> str:
    return current_app.jinja_env.get_template("comments/_form.html").render(
        form=CommentForm(formdata=None), parent=None, comment_action=markers["action"])


def comment_section(subject, comment_form: CommentForm | None = None,
                    reply_to: int | None = None, page: int | None = None) -> dict:
    """The comment section of ``subject``'s page (3 queries where its comments show).

    ``comment_form`` carries what was typed and its errors back to the form it came
    from: the main form, or the reply form under comment ``reply_to``. ``page``: the
    page of comments to show (default: the address's ``?page=``).

    A reply form is built only under the comment being answered: ``?reply=<id>`` on
    the page (the 返信する link; htmx fetches the same address and takes the form
    out of it). Thirty closed reply forms on every page view cost more than the rest
    of the page together, for a form a reader rarely opens.
    """
    kind = commentable.kind_of(subject)
    opened_by_link = False
    if reply_to is None and request.method == "GET":
        reply_to = positive_int(request.args.get("reply"))
        opened_by_link = reply_to is not None

    def reply_form(comment_id: int) -> CommentForm:
        if comment_form is not None and reply_to == comment_id:
            return comment_form
        form = CommentForm(formdata=None, prefix=f"reply{comment_id}")
        if opened_by_link:  # the person asked to reply: the cursor goes to the text
            form.body.render_kw = {**(form.body.render_kw or {}), "autofocus": True}
        return form

    def comment_page_url(number: int) -> str:
        return url_for(kind.page_endpoint, page=number, **{kind.id_arg: subject.id}) + "#comments"

    signed_in = current_user.is_authenticated
    can_post = kind.can_comment(current_user, subject)
    # What was typed in the main form comes back with it; else the blank form, kept.
    typed = comment_form if comment_form is not None and reply_to is None else None
    action = kind.post_url(subject.id)
    viewer = current_user._get_current_object()  # the person, not the proxy, per comment
    readable = kind.can_read(current_user, subject)
    page = (page or page_number(request.args.get("page"))) if readable else 1
    threads, comment_pages = comment_threads(kind, subject, page) if readable else ([], 1)
    pages = {"page": page} if page > 1 else {}
    reply_link = id_url(kind.page_endpoint, "reply", **pages, **{kind.id_arg: subject.id})

    # A deleted comment takes no replies; under the one being answered, its form shows
    # instead of the link.
    answerable = [t.comment.id for t in threads if can_post and not t.comment.deleted_at]
    open_reply = reply_to if reply_to in answerable else None
    reply_urls = {comment_id: f"{reply_link(comment_id)}#reply-{comment_id}"
                  for comment_id in answerable if comment_id != open_reply}
    links = comment_links(viewer, threads)
    return {
        "comment_subject": subject, "comment_page": page,
        "comment_pages": comment_pages, "comment_page_url": comment_page_url,
        # Every form on the page needs a signed-in person: none are built for visitors.
        "comment_form": typed,
        "blank_comment_form": (blank_form("comment", _blank_comment_form, action=action)
                               if typed is None and can_post else None),
        "reply_form": reply_form, "reply_to": open_reply,
        # Each thread as this viewer sees it, kept rendered; the template asks with the
        # comment to focus (comments/views.py passes it after an htmx post).
        "shown_threads": lambda focus=None: shown_threads(threads, links, reply_urls, focus),
        "can_post": can_post,
        "comment_action": action,
        "action_form": ActionForm() if signed_in else None,
    }
