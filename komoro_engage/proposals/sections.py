"""Proposals on pages of lower layers: those staff linked to a measure.

Registered with core/sections.py by the package; one query in the measure page's view.
"""

from __future__ import annotations

from komoro_engage.core.sections import Section, register_section
from komoro_engage.proposals.lifecycle.record import measure_proposals


def linked_proposals(measure) -> Section:
    linked, total = measure_proposals(measure)
    return Section("proposals/_measure_proposals.html", {"linked": linked, "total": total})


def register() -> None:
    # Before the measure's projects (order 20).
    register_section("plan.measure", "proposals", linked_proposals, order=10)
