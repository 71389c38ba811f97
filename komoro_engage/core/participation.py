"""Participation sources: what residents did for each measure, counted by the features.

The evaluation (施策評価) freezes a year's participation figures per measure but
knows no feature: each feature that counts something registers a source here
from its own package (proposals: proposals, supports and comments; projects:
projects, participants, days, hours, organisations).

A source is ``figures(measure_ids, start, end) -> {measure_id: figures}``, one
grouped query per figure for all the measures asked about. ``empty`` gives each
figure it counts at zero (the record keeps every key, counted or not). Its
figures may list ``items`` ``{"kind", "id", "title", "status"}``; ``withdrawn``
tells which of those ids the public may no longer read, so a frozen record does
not republish their titles.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Figures = Callable[[Sequence[int], datetime, datetime], dict[int, dict]]


@dataclass(frozen=True)
class Source:
    kind: str  # the kind of the items it lists: "proposal", "project"
    figures: Figures
    empty: dict[str, Any]
    order: int
    withdrawn: Callable[[Collection[int]], set[int]] | None = None


_sources: dict[str, Source] = {}


def register_source(kind: str, figures: Figures, *, empty: dict[str, Any], order: int,
                    withdrawn: Callable[[Collection[int]], set[int]] | None = None) -> None:
    """Count ``figures`` for every measure; sources merge in ``order`` (items too)."""
    _sources[kind] = Source(kind, figures, empty, order, withdrawn)


def unregister_source(kind: str) -> None:
    """Remove a source (tests)."""
    _sources.pop(kind, None)


def sources() -> list[Source]:
    """The registered sources, in their order."""
    return sorted(_sources.values(), key=lambda source: source.order)


def empty_figures() -> dict[str, Any]:
    """Every figure of every source at zero, in the sources' order (a fresh copy)."""
    result: dict[str, Any] = {}
    for source in sources():
        result.update(copy.deepcopy(source.empty))
    return result
