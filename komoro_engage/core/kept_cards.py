"""A list page's cards, each kept rendered by its content, per worker.

A card shows its row (plain values: a frozen dataclass) in the reader's language and
nothing of the reader: no person, no token, no form. The twenty cards of a proposal list
or search page were about a sixth of its time, for every signed-in reader (issue 16).
Like the comments' texts (comments/texts.py), each is kept under its every value and
the language: a new count, title or name is a new key and nothing needs to be
forgotten; the least recently used go first.

A card's template defines the macro ``card(row)``. It may translate and build its
links itself: it runs only for a card not kept, and a card is the same on every page
of every filter, sort and search that lists it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from functools import lru_cache

from flask import current_app
from jinja2 import Template
from markupsafe import Markup

from komoro_engage.core.i18n import language_key

# About 800 bytes each: a worker keeps several thousand proposals' and projects' cards.
MAX_KEPT = 8192


def kept_cards(template_name: str, rows: Iterable[Hashable]) -> Markup:
    """The cards of ``rows``, in order, in the request's language."""
    template = current_app.jinja_env.get_template(template_name)  # one per app: its key too
    language = language_key()
    return Markup("".join(_rendered(template, row, language) for row in rows))  # noqa: S704


@lru_cache(maxsize=MAX_KEPT)
def _rendered(template: Template, row: Hashable, _language: str) -> Markup:
    """The language is only the key's: the macro translates through the request."""
    # The macro's output is autoescaped HTML.
    return Markup(template.module.card(row))  # noqa: S704
