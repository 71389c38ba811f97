"""The proposal list's cards as HTML, each kept rendered by its content.

A card shows its row (title, status, kind, district, author or organisation, policy
areas, counts) in the reader's language and nothing else: no person, no token. The
twenty cards of a list or search page were about a sixth of its time, for every
signed-in reader (issue 16). Like the comments' texts (comments/texts.py), each is kept
under its every value and the language, so a new count, title or name is a new key
and nothing needs to be forgotten; the least recently used go first.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from flask import current_app, g
from jinja2 import Template
from markupsafe import Markup

from komoro_engage.core.i18n import language_key
from komoro_engage.proposals.cards import ProposalCard
from komoro_engage.proposals.labels import card_text

TEMPLATE = "proposals/_card.html"
# About 800 bytes each: a worker keeps the cards of its few hundred busiest list pages.
MAX_KEPT = 4096
_WORDS = "proposal_card_words"


def rendered_cards(cards: Iterable[ProposalCard]) -> Markup:
    """The cards' ``<li>`` elements, in order, in the request's language."""
    template = current_app.jinja_env.get_template(TEMPLATE)  # one per app: its key too
    language = language_key()
    return Markup("".join(_rendered(template, card, language) for card in cards))  # noqa: S704


@lru_cache(maxsize=MAX_KEPT)
def _rendered(template: Template, card: ProposalCard, _language: str) -> Markup:
    """The language is only the key's: the words come from the request, which chose it."""
    # The macro's output is autoescaped HTML.
    return Markup(template.module.card(card, _words()))  # noqa: S704


def _words() -> dict:
    """card_text(), translated once per request, at its first card not kept."""
    words = g.get(_WORDS)
    if words is None:
        words = g.setdefault(_WORDS, card_text())
    return words
