"""Parts of pages built from the plan alone, kept by each worker until the plan changes.

The plan (its vision, policy areas, priority items, measures, districts) changes
a few times a year, when staff edit it or a new edition is loaded; the home
page's content and the lists' filter menus were built from it on every request,
for everyone, signed in or not. Here they are built once per language (and per
selection, for a menu), kept under the plan's version (``content_version.PLAN_ROW``,
one query per request), and built afresh once a commit has changed a plan table.

Only what depends on nothing but the plan, the language and the given key may be
kept: no person, no CSRF token, no count of proposals. :func:`data_from_plan` keeps
plain values the same way (the dashboard's measures and finalised evaluations): frozen
dataclasses and numbers, never ORM objects, which belong to one request's session.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from markupsafe import Markup

from komoro_engage.core.content_version import (
    plan_version,
    plan_version_column,
    plan_written_uncommitted,
)
from komoro_engage.core.i18n import language_key
from komoro_engage.core.request_facts import fact, register_fact

Kept = TypeVar("Kept")
EXTENSION = "komoro_plan_fragments"
PLAN_VERSION_FACT = "plan_version"  # core/request_facts.py
MAX_FRAGMENTS = 512  # menus per selection: the oldest go first


class PlanFragments:
    """One worker's fragments for one plan version, the least recently used dropped first."""

    def __init__(self, limit: int = MAX_FRAGMENTS):
        self.limit = limit
        self._version: int | None = None
        self._kept: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: int, key: tuple) -> object | None:
        with self._lock:
            if version != self._version:
                return None
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, version: int, key: tuple, fragment: object) -> None:
        with self._lock:
            if version != self._version:  # the plan changed: nothing kept is current
                self._kept.clear()
                self._version = version
            self._kept[key] = fragment
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)


def init_app(app) -> None:
    app.extensions[EXTENSION] = PlanFragments()
    # Nearly every page shows something kept from the plan: a signed-in person's read
    # asks the version with the person.
    register_fact(PLAN_VERSION_FACT, plan_version_column)


def from_plan(key: tuple, build: Callable[[], str]) -> Markup:
    """``build()``'s HTML for ``key`` in this language, kept while the plan is unchanged.

    ``build`` renders a template (autoescaped): its output is HTML as it stands.
    """
    return _kept((language_key(), *key),
                 lambda: Markup(build()))  # noqa: S704 - HTML from an autoescaped template


def data_from_plan(key: tuple, build: Callable[[], Kept]) -> Kept:
    """``build()``'s value for ``key`` (any language), kept while the plan is unchanged.

    The value is shared by every later request of this worker: plain, read-only data
    built from the plan tables (``content_version.watch_plan_tables``) alone.
    """
    return _kept(("data", *key), build)  # type: ignore[return-value]


def _kept(full_key: tuple, build: Callable[[], object]) -> object:
    version = fact(PLAN_VERSION_FACT, plan_version)
    fragments: PlanFragments = current_app.extensions[EXTENSION]
    found = fragments.get(version, full_key)
    if found is None:
        found = build()
        if not plan_written_uncommitted():
            fragments.put(version, full_key, found)
    return found
