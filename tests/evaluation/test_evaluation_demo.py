"""The demo fills indicators, links and finalised records for past fiscal years."""

from sqlalchemy import select

from komoro_engage.evaluation.models import EvaluationRecord, RecordStatus
from komoro_engage.evaluation.participation import figures_for_year
from komoro_engage.extensions import db
from komoro_engage.plan.models import IndicatorActual
from komoro_engage.proposals.demo import load_demo


def snapshot() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(select(
        EvaluationRecord.measure_id, EvaluationRecord.fiscal_year, EvaluationRecord.rating_id,
        EvaluationRecord.figures).order_by(EvaluationRecord.id))]


def test_demo_records_are_finalised_history_with_real_counts(ctx):
    first = db.session.begin_nested()
    totals = load_demo(300, seed=5)
    records = db.session.scalars(select(EvaluationRecord)).all()
    assert totals["evaluation records"] == len(records) == 7 * 3
    assert {r.fiscal_year for r in records} == {2023, 2024, 2025}  # demo "now" is FY2026
    assert all(r.status == RecordStatus.FINALISED and r.rating_id for r in records)
    assert db.session.scalar(select(IndicatorActual.id).limit(1)) is not None
    assert totals["measure links"] > 0
    # the stored figures are what the finalising code counts from the same data
    recount = figures_for_year([r.measure_id for r in records if r.fiscal_year == 2025], 2025)
    for record in (r for r in records if r.fiscal_year == 2025):
        live = dict(recount[record.measure_id])
        live.pop("items")
        assert record.figures == live
    assert sum(r.figures["proposals"] for r in records) > 0
    one = snapshot()
    first.rollback()
    load_demo(300, seed=5)
    assert snapshot() == one
