"""``/api/v1/evaluations`` and ``/api/v1/indicators``: finalised records and indicator actuals.

Drafts never leave the building: only finalised records are listed, each with
its frozen figures, item list and indicator results and any amendments.
"""

from __future__ import annotations

from decimal import Decimal

from flask import jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from komoro_engage.api.serializers import _time
from komoro_engage.core.numbers import int_arg, page_number
from komoro_engage.core.participation import empty_figures
from komoro_engage.evaluation.models import EvaluationRecord, RecordStatus
from komoro_engage.evaluation.queries import public_items, record_options
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY
from komoro_engage.plan.models import Indicator, Measure

MAX_PER_PAGE = 100


def _number(value) -> float | None:
    return None if value is None else float(Decimal(str(value)))


def _rating(level) -> dict | None:
    return {"code": level.code, "label": level.label, "label_en": level.label_en} if level else None


def _measure(measure) -> dict:
    return {"id": measure.id, "code": measure.code, "title": measure.title,
            "title_en": measure.title_en}


def _figures(stored: dict) -> dict:
    empty = empty_figures()
    figures = {key: stored.get(key, default) for key, default in empty.items()
               if key != "proposals_by_status"}
    figures["volunteer_hours"] = float(figures["volunteer_hours"])
    figures["proposals_by_status"] = {**empty["proposals_by_status"],
                                      **stored.get("proposals_by_status", {})}
    return figures


def record_json(record: EvaluationRecord, items: list[dict]) -> dict:
    return {
        "id": record.id, "url": url_for("evaluation.show", record_id=record.id, _external=True),
        "fiscal_year": record.fiscal_year, "measure": _measure(record.measure),
        "rating": _rating(record.rating), "current_rating": _rating(record.current_rating),
        "check_text": record.check_text, "act_text": record.act_text,
        "finalised_at": _time(record.finalised_at),
        "figures": _figures(record.figures or {}),
        "items": [{"kind": i["kind"], "id": i["id"], "title": i["title"], "status": i["status"]}
                  for i in items],
        "indicators": [{
            "name": row["name"], "name_en": row["name_en"], "unit": row["unit"],
            "direction": row["direction"], "baseline_value": _number(row["baseline_value"]),
            "target_value": _number(row["target_value"]), "target_fy": row["target_fy"],
            "actual": _number(row["actual"]), "achievement": _number(row["achievement"]),
            "source": row["source"]} for row in record.indicators or []],
        "amendments": [{"number": a.number, "rating": _rating(a.rating),
                        "check_text": a.check_text, "act_text": a.act_text, "reason": a.reason,
                        "created_at": _time(a.created_at)} for a in record.amendments],
    }


def _page() -> tuple[int, int]:
    per_page = min(int_arg("per_page") or 20, MAX_PER_PAGE)
    return page_number(request.args.get("page")), per_page


def evaluations():
    """Finalised evaluation records, filtered by fiscal year and measure id, paginated."""
    query = (select(EvaluationRecord).join(Measure)
             .where(EvaluationRecord.status == RecordStatus.FINALISED))
    if (year := int_arg("fiscal_year", FIRST_FY, LAST_FY)) is not None:
        query = query.where(EvaluationRecord.fiscal_year == year)
    if (measure := int_arg("measure")) is not None:
        query = query.where(EvaluationRecord.measure_id == measure)
    page, per_page = _page()
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    records = list(db.session.scalars(
        query.options(*record_options(), selectinload(EvaluationRecord.measure))
        .order_by(EvaluationRecord.fiscal_year.desc(), Measure.sort_key)
        .limit(per_page).offset((page - 1) * per_page)))
    items = public_items(records)
    return jsonify({"items": [record_json(r, items[r.id]) for r in records], "page": page,
                    "per_page": per_page, "total": total})


def indicators():
    """The current plan's indicators with every yearly actual and its achievement rate."""
    edition = plan_queries.current_edition()
    query = (select(Indicator).join(Measure).where(Measure.edition_id == edition.id)
             .options(selectinload(Indicator.actuals), selectinload(Indicator.measure))
             .order_by(Measure.sort_key, Indicator.sort_order, Indicator.id))
    if (measure := int_arg("measure")) is not None:
        query = query.where(Indicator.measure_id == measure)
    year = int_arg("fiscal_year", FIRST_FY, LAST_FY)
    return jsonify({"items": [{
        "id": i.id, "measure": _measure(i.measure), "name": i.name, "name_en": i.name_en,
        "unit": i.unit, "direction": str(i.direction),
        "baseline_value": _number(i.baseline_value), "baseline_fy": i.baseline_fy,
        "target_value": _number(i.target_value), "target_fy": i.target_fy,
        "actuals": [{"fiscal_year": a.fiscal_year, "value": _number(a.value),
                     "achievement": _number(i.achievement(a)), "source": a.source,
                     "note": a.note}
                    for a in i.actuals if year is None or a.fiscal_year == year]}
        for i in db.session.scalars(query)]})
