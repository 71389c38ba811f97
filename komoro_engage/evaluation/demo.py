"""Demo evaluation data: indicators with yearly actuals, staff links from proposals to
measures, and finalised records for past fiscal years, so the dashboard has history.

Deterministic from the seed; rows are inserted in bulk. Figures are counted from
the demo proposals by the same code that finalises a real record.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from komoro_engage.evaluation import queries
from komoro_engage.evaluation.models import EvaluationRecord, RecordStatus
from komoro_engage.evaluation.participation import figures_for_year
from komoro_engage.evaluation.results import indicator_results
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.fiscal import fiscal_year_of
from komoro_engage.plan.models import Indicator, IndicatorActual, Measure
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal, proposal_policy_area

YEARS = 3  # finalised records for the three fiscal years before the demo's "now"
# (name, unit, baseline, target, direction, source) by policy area number.
INDICATORS = {
    1: ("子育て環境に満足している保護者の割合", "%", 58, 70, "higher", "市民意識調査"),
    2: ("公民館講座の参加者数", "人", 4200, 5000, "higher", "生涯学習課 集計"),
    3: ("特定健診の受診率", "%", 41, 60, "higher", "保健課 集計"),
    4: ("市内事業所の求人充足率", "%", 35, 50, "higher", "商工観光課 集計"),
    5: ("一人一日あたりのごみ排出量", "g", 780, 700, "lower", "生活環境課 集計"),
    6: ("市政に参加していると感じる市民の割合", "%", 22, 35, "higher", "市民意識調査"),
}
CHECKS = {
    "A": "成果指標は目標に向けて順調に推移し、市民からの提案も施策に生かされた。",
    "B": "成果指標は概ね計画どおり推移した。市民参加の場を広げる余地がある。",
    "C": "成果指標の改善が計画より遅れている。提案の検討に時間を要した。",
    "D": "成果指標が基準値を下回った。取り組みの見直しが必要である。",
}
ACTS = {
    "A": "現在の取り組みを継続し、採用した提案の実施状況を公開する。",
    "B": "地区ごとの説明会を増やし、提案の募集を強化する。",
    "C": "担当課と協働団体で課題を整理し、来年度の事業計画に反映する。",
    "D": "事業の進め方を見直し、市民と一緒に改善策を検討する。",
}


def _actual(rng: random.Random, baseline: float, target: float, step: int) -> Decimal:
    """A value that mostly moves from baseline towards target, with noise."""
    progress = step / (YEARS + 1) + rng.uniform(-0.25, 0.2)
    return Decimal(str(round(baseline + (target - baseline) * progress, 1)))


def load_evaluation_demo(seed: int, now) -> dict:
    """Fill indicators, actuals, links and finalised records; the caller commits."""
    if db.session.scalar(select(EvaluationRecord.id).limit(1)) is not None:
        return {"evaluation records": 0}
    rng = random.Random(seed * 7919 + 8)
    edition = plan_queries.current_edition()
    measures = queries.edition_measures(edition)
    last = fiscal_year_of(now) - 1
    years = list(range(last - YEARS + 1, last + 1))
    totals = {"indicator actuals": 0, "measure links": _link_proposals(rng, measures)}
    for measure in measures:
        if measure.indicators:
            continue
        name, unit, baseline, target, direction, source = INDICATORS[measure.policy_area.number]
        db.session.execute(insert(Indicator), [{
            "measure_id": measure.id, "key": "demo-1", "name": name, "unit": unit,
            "baseline_fy": years[0] - 1, "baseline_value": Decimal(baseline),
            "target_fy": edition.end_fy, "target_value": Decimal(target),
            "direction": direction, "source": source, "sort_order": 0}])
    indicators = db.session.scalars(
        select(Indicator).join(Measure).where(Measure.edition_id == edition.id)
        .options(selectinload(Indicator.actuals))).all()
    actuals = [{"indicator_id": i.id, "fiscal_year": year, "source": i.source, "note": "",
                "value": _actual(rng, float(i.baseline_value or 0), float(i.target_value or 0),
                                 step + 1)}
               for i in indicators if i.baseline_value is not None
               for step, year in enumerate(years)
               if not any(a.fiscal_year == year for a in i.actuals)]
    if actuals:
        db.session.execute(insert(IndicatorActual), actuals)
    totals["indicator actuals"] = len(actuals)
    db.session.expire_all()  # the loaded indicators do not know the actuals just inserted
    measures = queries.edition_measures(edition, with_indicators=True)
    levels = {level.code: level for level in queries.rating_levels()}
    rows = []
    for year in years:
        figures = figures_for_year([m.id for m in measures], year)
        for measure in measures:
            code = rng.choices(list(levels), weights=(3, 5, 2, 1)[:len(levels)])[0]
            counted = figures[measure.id]
            items = counted.pop("items")
            finalised = now.replace(year=year + 1, month=6, day=15) + timedelta(
                hours=rng.randint(0, 200))
            rows.append({
                "measure_id": measure.id, "fiscal_year": year, "status": RecordStatus.FINALISED,
                "rating_id": levels[code].id, "check_text": CHECKS.get(code, ""),
                "act_text": ACTS.get(code, ""), "figures": counted, "items": items,
                "indicators": indicator_results(measure, year), "created_at": finalised,
                "updated_at": finalised, "finalised_at": finalised})
    db.session.execute(insert(EvaluationRecord), rows)
    totals["evaluation records"] = len(rows)
    return totals


LINK_NOTE = "施策の目的に沿う提案として紐付け"


def _link_proposals(rng: random.Random, measures) -> int:
    """Staff link about a third of the public proposals to a measure of their policy area.

    Writes the link table directly, as the staff console's link action would.
    """
    by_area: dict[int, list[int]] = {}
    for measure in measures:
        by_area.setdefault(measure.policy_area_id, []).append(measure.id)
    rows = db.session.execute(
        select(Proposal.id, Proposal.published_at, proposal_policy_area.c.policy_area_id)
        .join(proposal_policy_area, proposal_policy_area.c.proposal_id == Proposal.id)
        .where(Proposal.status.in_([str(s) for s in PUBLIC_STATUSES]))
        .order_by(Proposal.id, proposal_policy_area.c.policy_area_id)).all()
    links, seen = [], set()
    for proposal_id, published_at, area_id in rows:
        if proposal_id in seen or area_id not in by_area or rng.random() > 0.35:
            continue
        seen.add(proposal_id)
        linked_at = published_at + timedelta(days=rng.randint(1, 20))
        links.append({"proposal_id": proposal_id, "measure_id": rng.choice(by_area[area_id]),
                      "fiscal_year": fiscal_year_of(linked_at), "linked_at": linked_at,
                      "note": LINK_NOTE, "unlink_reason": ""})
    existing = set(db.session.execute(
        select(ProposalMeasureLink.proposal_id, ProposalMeasureLink.measure_id)
        .where(ProposalMeasureLink.unlinked_at.is_(None))).all())
    links = [row for row in links if (row["proposal_id"], row["measure_id"]) not in existing]
    if links:
        db.session.execute(insert(ProposalMeasureLink), links)
    return len(links)
