"""Participation figures against a hand-built fixture, cut at 1 April 00:00 Japan time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from komoro_engage.comments.models import Comment
from komoro_engage.evaluation.participation import FIGURE_KEYS, figures_for_year, merge
from komoro_engage.extensions import db
from komoro_engage.proposals.models import ProposalStatus, Support
from tests.evaluation.helpers import jst, link, measure
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


def support(proposal, moment):
    db.session.add(Support(proposal_id=proposal.id, user_id=make_user().id, created_at=moment))


def comment(proposal, moment, **fields):
    db.session.add(Comment(proposal_id=proposal.id, author_id=make_user().id, body="賛成です",
                           created_at=moment, **fields))


@pytest.fixture
def world(ctx):
    a, b = measure("1-2"), measure("3-1")
    last_minute = make_proposal(title="三月末日の提案", published_at=jst(2025, 3, 31, 23, 59, 59))
    first_minute = make_proposal(title="四月一日の提案", status=ProposalStatus.ADOPTED,
                                 published_at=jst(2025, 4, 1, 0, 0, 0))
    shared = make_proposal(title="二つの施策に関わる提案", status=ProposalStatus.UNDER_REVIEW,
                           published_at=jst(2025, 6, 1, 12))
    hidden = make_proposal(title="非表示の提案", published_at=jst(2025, 5, 1))
    hidden.status = ProposalStatus.HIDDEN
    draft = make_proposal(title="下書きの提案", status=ProposalStatus.DRAFT)
    unlinked = make_proposal(title="施策に紐づかない提案", published_at=jst(2025, 5, 1))
    link(last_minute, a)
    link(first_minute, a)
    link(shared, a, b)
    link(hidden, a)
    link(draft, b)
    # 15:00 UTC on 31 March is 00:00 JST on 1 April: the new fiscal year.
    support(last_minute, datetime(2025, 3, 31, 14, 59, 59, tzinfo=UTC))
    support(last_minute, datetime(2025, 3, 31, 15, 0, 0, tzinfo=UTC))
    support(shared, jst(2025, 7, 1))
    support(hidden, jst(2025, 7, 1))
    support(unlinked, jst(2025, 7, 1))
    comment(first_minute, jst(2025, 4, 2))
    comment(first_minute, jst(2025, 4, 3), deleted_at=jst(2025, 4, 4))
    comment(shared, jst(2025, 8, 1), hidden_at=jst(2025, 8, 2))
    comment(last_minute, jst(2025, 3, 31, 23, 0))
    db.session.flush()
    return {"a": a, "b": b, "last": last_minute, "first": first_minute, "shared": shared}


def test_fiscal_year_2024_ends_at_the_last_second_of_31_march_jst(world):
    a = figures_for_year([world["a"].id], 2024)[world["a"].id]
    assert a["proposals"] == 1
    assert a["proposals_by_status"]["published"] == 1
    assert a["supports"] == 1
    assert a["comments"] == 1
    assert [item["title"] for item in a["items"]] == ["三月末日の提案"]


def test_fiscal_year_2025_starts_at_midnight_on_1_april_jst(world):
    figures = figures_for_year([world["a"].id, world["b"].id], 2025)
    a, b = figures[world["a"].id], figures[world["b"].id]
    assert a["proposals"] == 2  # hidden, draft and unlinked ones do not count
    assert a["proposals_by_status"] == {"published": 0, "under_review": 1, "adopted": 1,
                                        "not_adopted": 0}
    # one on the proposal published in FY2024 (made at 00:00 on 1 April) and one on shared
    assert a["supports"] == 2
    assert a["comments"] == 1  # deleted and hidden comments do not count
    assert [(i["kind"], i["id"], i["status"]) for i in a["items"]] == [
        ("proposal", world["first"].id, "adopted"),
        ("proposal", world["shared"].id, "under_review")]
    assert b["proposals"] == 1 and b["supports"] == 1 and b["comments"] == 0


def test_project_figures_are_zero_until_a_source_counts_them(world):
    a = figures_for_year([world["a"].id], 2025)[world["a"].id]
    for key in FIGURE_KEYS:
        assert key in a
    assert a["projects_active"] == a["participants"] == a["activity_days"] == 0
    assert a["volunteer_hours"] == 0.0


def test_a_second_source_is_merged_into_the_figures(world, monkeypatch):
    from komoro_engage.core import participation

    def projects(measure_ids, start, end):
        return {m: {"projects_active": 2, "volunteer_hours": 12.5,
                    "items": [{"kind": "project", "id": 9, "title": "花壇", "status": "active"}]}
                for m in measure_ids}

    monkeypatch.setitem(participation._sources, "extra", participation.Source(
        "extra", projects, empty={}, order=1000))
    a = figures_for_year([world["a"].id], 2025)[world["a"].id]
    assert a["projects_active"] == 2 and a["volunteer_hours"] == 12.5
    assert a["proposals"] == 2
    assert [item["kind"] for item in a["items"]] == ["proposal", "proposal", "project"]


def test_merge_adds_numbers_and_joins_lists():
    total = {"supports": 1, "proposals_by_status": {"adopted": 1}, "items": [1]}
    merge(total, {"supports": 2, "proposals_by_status": {"adopted": 1}, "items": [2]})
    assert total == {"supports": 3, "proposals_by_status": {"adopted": 2}, "items": [1, 2]}
