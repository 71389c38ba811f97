"""A measure's evaluation history (施策評価の履歴) on the plan's measure page.

Registered with core/sections.py by the package; one query (two with amendments).
"""

from __future__ import annotations

from komoro_engage.core.sections import Section, register_section
from komoro_engage.evaluation import queries


def measure_records(measure) -> Section:
    return Section("evaluation/_measure_records.html", {"records": queries.history(measure.id)})


def register() -> None:
    # Right after the measure's indicators, before the priority items citing it.
    register_section("plan.measure", "evaluation", measure_records, slot="after_indicators")
