"""Sections that features add to pages owned by a lower layer.

A page of plan or accounts (a measure, a policy area, a priority item, an
organisation) cannot know which features exist. A feature registers a provider
for the page here, from its own package; the page's view asks
:func:`sections_for` and hands the result to its template, which shows each
section with ``page_section``. So the queries run in the view, before
rendering, and the page works with no feature registered at all.

A page names its places for sections (*slots*, e.g. ``end``); within a slot
sections come in ``order``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


@dataclass(frozen=True)
class Section:
    """A template of the feature and the variables it needs, computed by the feature."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


# A provider gets the page's subject (the measure, the organisation …) and
# returns its section, or None to show nothing.
Provider = Callable[[Any], Section | None]


@dataclass(frozen=True)
class _Entry:
    provider: Provider
    slot: str
    order: int


_pages: dict[str, dict[str, _Entry]] = {}


def register_section(page: str, name: str, provider: Provider, *, slot: str = "end",
                     order: int = 100) -> None:
    """Show ``provider(subject)`` on ``page`` in ``slot`` (``name`` again replaces it)."""
    _pages.setdefault(page, {})[name] = _Entry(provider, slot, order)


def unregister_section(page: str, name: str) -> None:
    """Remove a section (tests)."""
    _pages.get(page, {}).pop(name, None)


def registered(page: str) -> list[str]:
    """The names of the sections registered for ``page``, in their order."""
    entries = _pages.get(page, {})
    return sorted(entries, key=lambda name: entries[name].order)


def sections_for(page: str, subject: Any) -> defaultdict[str, list[Section]]:
    """Every registered section of ``page`` about ``subject``, by slot, in order.

    Call it from the view: each provider runs its queries now, not while the
    template renders. A slot nobody fills is an empty list.
    """
    result: defaultdict[str, list[Section]] = defaultdict(list)
    entries = _pages.get(page, {})
    for name in registered(page):
        section = entries[name].provider(subject)
        if section is not None:
            result[entries[name].slot].append(section)
    return result


@pass_context
def page_section(context: Context, section: Section) -> Markup:
    """Render ``section`` inside a page: the page's variables plus the section's own."""
    template = context.environment.get_template(section.template)
    html = template.render({**context.get_all(), **section.context})
    return Markup(html)  # noqa: S704 - an autoescaped template's output, like an include
