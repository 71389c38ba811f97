"""Text sources: residents' public words about a measure, a year or a consultation.

The free-text map (``search/text_map.py``, 市民の声の地図) sits below the features,
so it cannot read proposals, comments or statements itself. Each feature
registers here, from its own package:

- a *source* ``texts(scope) -> Iterable[ScopeText]`` giving the public texts it
  holds for a scope: ``"measure:<id>"``, ``"year:<fiscal year>"``,
  ``"consultation:<id>"``, ``"survey:<id>"``. A source answers only the scopes it knows (others:
  nothing) and only texts the public may read now (published, not hidden, not
  deleted; an erased account's removed words are already gone);
- a *kind* ``links(ids) -> {id: TextLink}`` that turns the stored keys
  (``"proposal:12"``) of the texts a map shows back into an excerpt and a link, for
  the ids that are still public: one query per kind, so a map's page costs the
  same whatever it shows, and a text hidden since the map was computed is not shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from komoro_engage.core.numbers import positive_int

SCOPE_KINDS = ("measure", "year", "consultation", "survey")
EXCERPT = 80  # characters of a longer text shown beside a map's theme


@dataclass(frozen=True)
class ScopeText:
    key: str  # "<kind>:<id>": "proposal:12", "comment:40", "statement:7"
    text: str


@dataclass(frozen=True)
class TextLink:
    excerpt: str  # what the page shows of the text (a title, the start of a comment)
    url: str


@dataclass(frozen=True)
class ScopePage:
    title: str  # the subject as the map's page names it, in the reader's language
    url: str | None = None  # the subject's own page


Source = Callable[[str], Iterable[ScopeText]]
Links = Callable[[Collection[int]], dict[int, TextLink]]
Page = Callable[[int], ScopePage | None]

_sources: dict[str, Source] = {}
_kinds: dict[str, Links] = {}
_pages: dict[str, Page] = {}


def register_text_source(name: str, texts: Source) -> None:
    """Add ``texts(scope)`` to every map (``name`` again replaces it)."""
    _sources[name] = texts


def register_text_kind(kind: str, links: Links) -> None:
    """Resolve keys ``"<kind>:<id>"`` to excerpts and links with ``links(ids)``."""
    _kinds[kind] = links


def register_scope_page(kind: str, page: Page) -> None:
    """Name the subjects of scopes ``"<kind>:<id>"`` with ``page(id)`` (None: not public)."""
    _pages[kind] = page


def scope_page(kind: str, ident: int) -> ScopePage | None:
    """The subject of the scope, or None when nobody registered its kind or it is not public."""
    page = _pages.get(kind)
    return page(ident) if page else None


def unregister_text_source(name: str) -> None:
    """Remove a source (tests)."""
    _sources.pop(name, None)


def scope(kind: str, ident: int) -> str:
    """The scope's name: ``scope("measure", 3) == "measure:3"``."""
    return f"{kind}:{ident}"


def parse_scope(value: str | None) -> tuple[str, int] | None:
    """``("measure", 3)`` from ``"measure:3"``; None for anything else."""
    kind, _, ident = (value or "").partition(":")
    number = positive_int(ident)
    return (kind, number) if kind in SCOPE_KINDS and number is not None else None


def excerpt(text: str) -> str:
    """The start of ``text`` on one line, for a link to it (a title is shown whole)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1] + "…"


def texts_for(scope_name: str) -> list[ScopeText]:
    """Every registered source's texts for the scope, in the sources' name order."""
    result: list[ScopeText] = []
    for name in sorted(_sources):
        result.extend(_sources[name](scope_name))
    return result


def links_for(keys: Iterable[str]) -> dict[str, TextLink]:
    """Excerpt and link of each key whose text is still public (others left out)."""
    wanted: defaultdict[str, set[int]] = defaultdict(set)
    for key in keys:
        kind, _, ident = key.partition(":")
        number = positive_int(ident)
        if kind in _kinds and number is not None:
            wanted[kind].add(number)
    result: dict[str, TextLink] = {}
    for kind in sorted(wanted):
        for ident, link in _kinds[kind](wanted[kind]).items():
            result[f"{kind}:{ident}"] = link
    return result
