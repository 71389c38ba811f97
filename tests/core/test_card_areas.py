"""The list cards' policy areas come from a statement built once per list (issue 16):
each page binds its own ids, and the proposal and project lists keep their own link
tables."""

from __future__ import annotations

from types import SimpleNamespace

from komoro_engage.core.listing import card_areas
from komoro_engage.plan.models import PolicyArea
from komoro_engage.projects.models import project_policy_area
from komoro_engage.proposals.models import proposal_policy_area
from tests.projects.helpers import make_project
from tests.proposals.helpers import area, make_proposal


def _names(rows, link_table, column):
    found = card_areas([SimpleNamespace(id=row.id) for row in rows], link_table, column,
                       PolicyArea)
    return {item_id: [named.name for named in names] for item_id, names in found.items()}


def test_each_page_and_list_reads_its_own_areas(ctx):
    first = make_proposal(areas=(3, 1))
    second = make_proposal(areas=(2,))
    project = make_project()  # linked to area 1 (tests/projects/helpers.py)

    assert _names([first], proposal_policy_area, "proposal_id") == {
        first.id: [area(1).name, area(3).name]}  # in plan order
    assert _names([second], proposal_policy_area, "proposal_id") == {
        second.id: [area(2).name]}
    assert _names([second, first], proposal_policy_area, "proposal_id") == {
        first.id: [area(1).name, area(3).name], second.id: [area(2).name]}
    assert _names([project], project_policy_area, "project_id") == {
        project.id: [area(1).name]}
    assert card_areas([], proposal_policy_area, "proposal_id", PolicyArea) == {}
