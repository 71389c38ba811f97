"""Evaluation pages run the same number of SQL statements with little or much data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.comments.services import add_comment
from komoro_engage.evaluation.indicators import IndicatorData, add_indicator, record_actual
from komoro_engage.evaluation.services import amend_record, finalise_record, open_record, save_draft
from komoro_engage.extensions import db
from komoro_engage.proposals.engagement import support_proposal
from tests.evaluation.helpers import jst, link, measure, rating
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

CODES = ("1-1", "1-2", "1-6", "3-1", "3-2", "4-2", "6-1")


def add_data(staff, codes, years):
    """Per measure and year: an indicator actual, linked proposals, a finalised record."""
    for code in codes:
        target = measure(code)
        indicator = add_indicator(staff, target, IndicatorData(
            name=f"指標{code}", unit="件", direction="higher", baseline_value=Decimal("1"),
            target_value=Decimal("9")))
        for year in years:
            record_actual(staff, indicator, year, Decimal(year - 2020), "集計")
            proposal = make_proposal(published_at=jst(year, 6, 1))
            link(proposal, target)
            support_proposal(make_user(), proposal)
            add_comment(make_user(), proposal, "いいですね")
            record = open_record(staff, target, year)
            save_draft(staff, record, rating("B"), "順調", "継続")
            finalise_record(staff, record)
            amend_record(staff, record, rating("C"), "訂正", "", "理由")
    db.session.commit()


def measure_queries(client, count_queries, url):
    client.get(url)  # warm caches (translations, templates)
    count_queries.reset()
    assert client.get(url).status_code == 200
    return count_queries.count


@pytest.fixture
def staff(app):
    with app.app_context():
        user = make_user(Role.STAFF)
        db.session.commit()
        assert user.id
        return user


@pytest.mark.parametrize("url", [
    "/dashboard?fiscal_year=2024", "/dashboard?fiscal_year=2026", "/plan/measures/1-2",
    "/staff/evaluation?fiscal_year=2024", "/staff/measures/{m}/indicators",
    "/staff/measures/{m}/evaluations/2024", "/staff/measures/{m}/evaluations/2026",
    "/staff/evaluation/export/records.csv", "/staff/evaluation/export/indicators.csv",
    "/staff/evaluation/export/items.csv", "/staff/evaluation/export.xlsx",
    "/api/v1/evaluations", "/api/v1/indicators",
])
def test_query_count_does_not_grow_with_data(app, login, count_queries, staff, url):
    client = login(staff)
    with app.app_context():
        add_data(staff, CODES[:1] + ("1-2",), [2024])
        url = url.format(m=measure("1-2").id)
    few = measure_queries(client, count_queries, url)
    with app.app_context():
        add_data(staff, CODES, [2021, 2022, 2023])
    many = measure_queries(client, count_queries, url)
    assert many == few, f"{url}: {few} queries with little data, {many} with more"


def test_record_page_query_count(app, login, client, count_queries, staff):
    with app.app_context():
        add_data(staff, ("1-2",), [2024])
        from komoro_engage.evaluation.queries import records

        record_id = records(fiscal_year=2024)[0].id
    few = measure_queries(client, count_queries, f"/evaluations/{record_id}")
    with app.app_context():
        record = records(fiscal_year=2024)[0]
        for n in range(5):
            amend_record(staff, record, rating("A"), f"訂正{n}", "", "理由")
        db.session.commit()
    assert measure_queries(client, count_queries, f"/evaluations/{record_id}") == few
    assert few <= 8
