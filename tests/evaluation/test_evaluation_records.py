"""Evaluation records: draft → finalised freezes figures, items and indicators; amendments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.evaluation.indicators import IndicatorData, add_indicator, record_actual
from komoro_engage.evaluation.models import RecordStatus
from komoro_engage.evaluation.services import (
    RecordFrozen,
    RecordIncomplete,
    amend_record,
    finalise_record,
    open_record,
    save_draft,
)
from komoro_engage.extensions import db
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.models import ProjectStatus
from tests.evaluation.helpers import jst, link, measure, rating
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal


@pytest.fixture
def staff(ctx):
    return make_user(Role.STAFF, nickname="評価担当")


@pytest.fixture
def record(staff):
    target = measure("1-2")
    indicator = add_indicator(staff, target, IndicatorData(
        name="子育て相談の利用件数", unit="件", direction="higher",
        baseline_value=Decimal("100"), target_value=Decimal("200")))
    record_actual(staff, indicator, 2025, Decimal("150"), "子育て支援課 集計")
    link(make_proposal(title="公園に日よけを", published_at=jst(2025, 5, 1)), target)
    return open_record(staff, target, 2025)


def test_open_record_gives_one_draft_per_measure_and_year(staff, record):
    again = open_record(staff, record.measure, 2025)
    assert again.id == record.id and record.status == RecordStatus.DRAFT


def test_finalising_needs_a_rating_and_an_assessment(staff, record):
    with pytest.raises(RecordIncomplete):
        finalise_record(staff, record)


def test_finalising_freezes_figures_items_and_indicators(staff, record):
    save_draft(staff, record, rating("B"), "相談件数は増えた。", "来年度は周知を強める。")
    finalise_record(staff, record)
    assert record.status == RecordStatus.FINALISED and record.finalised_at is not None
    assert record.figures["proposals"] == 1
    assert [item["title"] for item in record.items] == ["公園に日よけを"]
    assert record.indicators[0]["actual"] == "150"
    assert record.indicators[0]["achievement"] == "50"
    assert record.indicators[0]["source"] == "子育て支援課 集計"

    # later activity and new actuals do not change the finalised record
    link(make_proposal(title="後から紐づいた提案", published_at=jst(2025, 6, 1)), record.measure)
    record_actual(staff, record.measure.indicators[0], 2025, Decimal("190"), "再集計")
    db.session.expire_all()
    assert record.figures["proposals"] == 1 and len(record.items) == 1
    assert record.indicators[0]["actual"] == "150"
    with pytest.raises(RecordFrozen):
        save_draft(staff, record, rating("A"), "書き換え", "")
    with pytest.raises(RecordFrozen):
        finalise_record(staff, record)


def test_amendment_keeps_the_original_beside_it(staff, record):
    save_draft(staff, record, rating("B"), "当初の評価", "当初の方向性")
    finalise_record(staff, record)
    amendment = amend_record(staff, record, rating("C"), "訂正後の評価", "訂正後の方向性",
                             "集計漏れがあったため")
    assert amendment.number == 1
    assert record.rating.code == "B" and record.check_text == "当初の評価"
    assert record.current_rating.code == "C"
    second = amend_record(staff, record, rating("B"), "再訂正", "", "再確認のため")
    assert second.number == 2 and record.latest_amendment.id == second.id
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_type == "evaluation_record", AuditEntry.target_id == record.id)).all()
    assert actions == ["evaluation.created", "evaluation.draft_saved", "evaluation.finalised",
                       "evaluation.amended", "evaluation.amended"]
    reasons = db.session.scalars(select(AuditEntry.reason).where(
        AuditEntry.action == "evaluation.amended")).all()
    assert reasons == ["集計漏れがあったため", "再確認のため"]


def test_a_draft_is_not_amended(staff, record):
    with pytest.raises(RecordIncomplete):
        amend_record(staff, record, rating("A"), "x", "y", "理由")


def test_two_amendments_at_once_both_get_a_number(staff, record, monkeypatch):
    """The second writer read the same highest number: the unique key sends it round again."""
    from komoro_engage.evaluation import services

    save_draft(staff, record, rating("B"), "当初", "")
    finalise_record(staff, record)
    amend_record(staff, record, rating("C"), "先の訂正", "", "一人目")
    real_scalar, calls = db.session.scalar, {"stale": 0}

    def scalar(statement, *args, **kwargs):
        if "max(" in str(statement).lower() and not calls["stale"]:
            calls["stale"] += 1
            return 0  # as if the first amendment had not been written yet
        return real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(services.db.session, "scalar", scalar)
    second = amend_record(staff, record, rating("D"), "後の訂正", "", "二人目")
    assert second.number == 2 and calls["stale"] == 1
    assert [a.reason for a in record.amendments] == ["一人目", "二人目"]


def test_a_record_counts_the_measures_projects_too(staff, record):
    """Projects reach the record through a participation source (projects/participation.py)."""
    project = make_project(make_user(), ProjectStatus.ACTIVE, measure_ids=[record.measure_id],
                           title="公園の日よけを一緒につくる")
    project.opened_at = jst(2025, 6, 1)
    join_project(make_user(), project)
    db.session.flush()
    save_draft(staff, record, rating("B"), "協働で進んだ。", "続ける。")
    finalise_record(staff, record)
    assert record.figures["projects_active"] == 1
    assert record.figures["participants"] >= 1
    assert {(item["kind"], item["title"]) for item in record.items} == {
        ("proposal", "公園に日よけを"), ("project", "公園の日よけを一緒につくる")}
