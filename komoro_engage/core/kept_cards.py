"""Cards, each kept rendered by what it shows, per worker: a list page's cards, a page's
comment threads and the staff console's queue cards.

A card shows its row (plain values: a frozen dataclass) in the reader's language and
nothing else of the request. The twenty cards of a proposal list or search page were
about a sixth of its time, for every signed-in reader, and thirty comments half a
proposal page's (issue 16). Each is kept under its every value and the language: a new
count, title or name is a new key and nothing needs to be forgotten; the least recently
used go first. What differs by reader is in the row itself where a card shows it (a
comment thread holds the viewer's links), so readers who see a card alike share it.

A card's template defines the macro ``card(row)``. It may translate and build its
links itself: it runs only for a card not kept, and a card is the same on every page
of every filter, sort and search that lists it. A card with a button (a comment's
delete) writes ``kept_csrf_field()``: a marker kept in its place, the request's token
written over it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache

from flask import current_app
from jinja2 import Template
from markupsafe import Markup

from komoro_engage.core.i18n import language_key
from komoro_engage.core.page_cache import csrf_input, csrf_token

# About 800 bytes a list card, 2 KB a comment thread: at most about 16 MB a worker.
MAX_KEPT = 8192
# Where the request's CSRF token goes: unguessable, so no text a person writes is taken
# for it.
_CSRF_MARKER = f"kept-card-csrf-{secrets.token_hex(16)}"


def kept_cards(template_name: str, rows: Iterable[Hashable], *,
               keeper: Callable[[Template, Hashable, str], Markup] | None = None) -> Markup:
    """The cards of ``rows``, in order, in the request's language. ``keeper``: where they
    are kept, when not among the cards (:func:`new_keeper`)."""
    template = current_app.jinja_env.get_template(template_name)  # one per app: its key too
    language = language_key()
    rendered = keeper or _rendered
    html = "".join(rendered(template, row, language) for row in rows)
    if _CSRF_MARKER in html:
        html = html.replace(_CSRF_MARKER, csrf_token())
    return Markup(html)  # noqa: S704 - kept autoescaped markup; the token is URL-safe


def kept_csrf_field() -> Markup:
    """A form's hidden CSRF field in a kept card: the marker stands for the token."""
    return csrf_input(_CSRF_MARKER)


def _render(template: Template, row: Hashable, _language: str) -> Markup:
    """The language is only the key's: the macro translates through the request."""
    # The macro's output is autoescaped HTML.
    return Markup(template.module.card(row))  # noqa: S704


_rendered = lru_cache(maxsize=MAX_KEPT)(_render)


def new_keeper(maxsize: int) -> Callable[[Template, Hashable, str], Markup]:
    """A keeper of its own for a few cards that every page shows (the site's header), so
    that lists' cards never push them out."""
    return lru_cache(maxsize=maxsize)(_render)
