"""Projects on pages of lower layers: a measure's and an organisation's 協働 projects.

Registered with core/sections.py by the package; each runs one query in the page's view.
"""

from __future__ import annotations

from komoro_engage.core.sections import Section, register_section
from komoro_engage.projects import queries

TEMPLATE = "projects/_related.html"


def measure_projects(measure) -> Section:
    return Section(TEMPLATE, {"related_projects": queries.projects_of_measure(measure.id)})


def organisation_projects(organisation) -> Section:
    return Section(TEMPLATE,
                   {"related_projects": queries.projects_of_organisation(organisation.id)})


def register() -> None:
    # After the proposals linked to the measure (order 10).
    register_section("plan.measure", "projects", measure_projects, order=20)
    register_section("accounts.organisation", "projects", organisation_projects)
