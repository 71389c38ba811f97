"""Each comment's text as every reader sees it, rendered once per worker and language.

A comment's name line (author, stance, date, 編集済み) and body, or the notice that
stands in for a deleted or hidden one, depend on its row alone, the language and
the year (a date in this year is written without it): the same for everyone who
reads the page. Thirty of them were about a fifth of a proposal page's time, for
every signed-in reader and after every post (issue 16). Like Decidim's card
fragments they are kept by their content: the key is the row's every value, so an
edit, a hide, a delete or a renamed author is a new key and nothing needs to be
forgotten; the least recently used go first. What differs by reader (the edit,
report and delete links, the focus after a post) stays in ``_comment.html``.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from jinja2 import Template
from markupsafe import Markup

from komoro_engage.comments.forms import STANCE_LABELS
from komoro_engage.comments.queries import CommentRow, Thread, shown_comments
from komoro_engage.core.dates import this_year
from komoro_engage.core.i18n import language_key

TEMPLATE = "comments/_comment_text.html"
# About 2 KB each: a worker keeps the comments of its few hundred busiest pages.
MAX_KEPT = 4096


def comment_texts(threads: list[Thread]) -> dict[int, Markup]:
    """The text of each comment in ``threads``, by id, in the request's language."""
    template = current_app.jinja_env.get_template(TEMPLATE)
    language, year = language_key(), this_year()
    return {comment.id: _rendered(template, comment, language, year)
            for comment in shown_comments(threads)}


@lru_cache(maxsize=MAX_KEPT)
def _rendered(template: Template, comment: CommentRow, _language: str, _year: int) -> Markup:
    """The language and year are only the key's: the template reads them itself, from the
    request and the clock."""
    stances = {value: str(label) for value, label in STANCE_LABELS.items()}
    # The macro's output is autoescaped HTML.
    return Markup(template.module.text(comment, stances))  # noqa: S704
