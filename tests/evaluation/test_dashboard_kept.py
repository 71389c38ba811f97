"""The dashboard keeps what the plan and its finalised records decide, and only that: each
change shows on the next page, and the live counts are counted on every request."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from komoro_engage.accounts.models import Role, User
from komoro_engage.evaluation.indicators import IndicatorData, add_indicator, record_actual
from komoro_engage.evaluation.models import EvaluationRecord
from komoro_engage.evaluation.services import amend_record, finalise_record, open_record, save_draft
from komoro_engage.extensions import db
from tests.evaluation.helpers import jst, link, measure, rating
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


@pytest.fixture
def people(app):
    with app.app_context():
        staff, resident = make_user(Role.STAFF), make_user()
        db.session.commit()
        assert staff.id and resident.id  # loaded before the session closes
        return staff, resident


def card(page: str, code: str = "1-2") -> str:
    """The measure's card in the area list: from its code to the end of its item."""
    found = re.search(rf"施策 {re.escape(code)}</span>.*?</li>", page, re.S)
    assert found, f"no card for {code}"
    return found.group(0)


def test_each_change_shows_on_the_next_dashboard(app, login, people, count_queries):
    staff_id, resident = people[0].id, people[1]
    reader = login(resident)  # signed in: the visitors' page cache is never involved

    def dashboard() -> str:
        response = reader.get("/dashboard?fiscal_year=2025")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    first = card(dashboard())
    assert "集計中（未確定）" in first and "提案 0" in first
    count_queries.reset()
    dashboard()
    kept = count_queries.count
    # Live counts: a proposal linked to the measure counts at once, the plan part kept.
    with app.app_context():
        link(make_proposal(published_at=jst(2025, 6, 1)), measure("1-2"))
        db.session.commit()
    count_queries.reset()
    assert "提案 1" in card(dashboard())
    assert count_queries.count == kept
    # A finalised record, then its amendment: the next page has them.
    with app.app_context():
        staff = db.session.get(User, staff_id)
        record = open_record(staff, measure("1-2"), 2025)
        save_draft(staff, record, rating("B"), "順調", "継続")
        finalise_record(staff, record)
        db.session.commit()
        record_id = record.id
    count_queries.reset()
    final = card(dashboard())
    rebuilt = count_queries.count
    assert "rating-code-b" in final and f"/evaluations/{record_id}" in final
    assert "集計中" not in final and "訂正あり" not in final
    assert rebuilt > kept, "the plan part was not read again after the record changed"
    count_queries.reset()
    dashboard()
    assert count_queries.count < rebuilt  # kept again
    with app.app_context():
        amend_record(db.session.get(User, staff_id), db.session.get(EvaluationRecord, record_id),
                     rating("C"), "訂正", "", "集計誤り")
        db.session.commit()
    amended = card(dashboard())
    assert "rating-code-c" in amended and "訂正あり" in amended
    # An indicator and its actual: the achievement rate shows.
    with app.app_context():
        staff = db.session.get(User, staff_id)
        indicator = add_indicator(staff, measure("1-6"), IndicatorData(
            name="指標", unit="件", direction="higher", baseline_value=Decimal("0"),
            target_value=Decimal("10")))
        record_actual(staff, indicator, 2025, Decimal("5"), "集計")
        db.session.commit()
    assert "<strong>50%</strong>" in card(dashboard(), "1-6")


def test_the_kept_part_is_the_same_for_every_language(app, login, people):
    _staff, resident = people
    reader = login(resident)
    japanese = reader.get("/dashboard?fiscal_year=2025").get_data(as_text=True)
    reader.set_cookie("lang", "en")
    english = reader.get("/dashboard?fiscal_year=2025").get_data(as_text=True)
    # The kept areas and measures carry both names: each reader gets theirs.
    assert "<h3>政策分野1 子育て・教育</h3>" in japanese and "政策分野" not in english
    assert "<h3>Policy area1 Child-rearing and education</h3>" in english
