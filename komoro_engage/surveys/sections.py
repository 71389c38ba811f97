"""Quick polls on pages of other parts: the home page, a measure's page, a project's page.

Registered with core/sections.py by the package; each runs a fixed number of queries.
"""

from __future__ import annotations

from flask_login import current_user

from komoro_engage.core.request_facts import register_fact, register_item_fact
from komoro_engage.core.sections import Section, register_section
from komoro_engage.surveys import polls

TEMPLATE = "surveys/_poll_section.html"


def _section(placement: str, placement_id: int | None) -> Section | None:
    poll = polls.poll_at(placement, placement_id)
    if poll is None:
        return None
    return Section(TEMPLATE, polls.poll_view(poll, current_user))


def register() -> None:
    register_section("plan.home", "poll", lambda _subject: _section("home", None))
    register_section("plan.measure", "poll", lambda measure: _section("measure", measure.id),
                     order=5)
    register_section("projects.detail", "poll",
                     lambda project: _section("project", project.id))
    # Whether a poll is placed on the project, on the home page: asked with the project,
    # with the person (surveys/polls.py).
    register_item_fact(polls.POLL_FACT, polls.placed_poll_column, kinds=polls.POLL_FACT_KINDS)
    register_fact(polls.HOME_POLL_FACT, polls.home_poll_column,
                  endpoints=polls.HOME_POLL_ENDPOINTS)
