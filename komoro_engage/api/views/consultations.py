"""``/api/v1/consultations``: public consultations and their latest opinion-group analysis.

The analysis is the stored snapshot (never computed here); participants appear only
as anonymous points and group sizes, never as accounts.
"""

from __future__ import annotations

from flask import abort, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from komoro_engage.api.serializers import _time
from komoro_engage.consultations import analysis
from komoro_engage.consultations.models import Consultation, ConsultationStatus
from komoro_engage.consultations.report import published_texts
from komoro_engage.core.listing import simple_page
from komoro_engage.core.numbers import page_number
from komoro_engage.extensions import db

PER_PAGE = 20


def _consultation_json(consultation: Consultation) -> dict:
    def url(endpoint: str, **values) -> str:
        return url_for(endpoint, consultation_id=consultation.id, _external=True, **values)

    return {
        "id": consultation.id, "url": url("consultations.detail"),
        "analysis_url": url_for("api.consultation_analysis", consultation_id=consultation.id,
                                _external=True),
        "title": consultation.title, "description": consultation.description,
        "status": str(consultation.status), "opens_at": _time(consultation.opens_at),
        "closes_at": _time(consultation.closes_at),
        "measures": [{"id": m.id, "code": m.code, "title": m.title, "title_en": m.title_en}
                     for m in consultation.measures],
        "policy_areas": [{"id": a.id, "number": a.number, "name": a.name,
                          "name_en": a.name_en} for a in consultation.policy_areas],
        "participants_votes_csv": url("consultations.participants_votes"),
        "statements_csv": url("consultations.statements"),
    }


def consultations():
    """Open consultations first, then closed ones (drafts are not published)."""
    page = simple_page(
        select(Consultation).where(Consultation.status != ConsultationStatus.DRAFT)
        .options(selectinload(Consultation.measures), selectinload(Consultation.policy_areas))
        .order_by((Consultation.status == ConsultationStatus.OPEN).desc(),
                  Consultation.opens_at.desc(), Consultation.id.desc()),
        page_number(request.args.get("page")), PER_PAGE)
    return jsonify({"items": [_consultation_json(c) for c in page.items], "page": page.page,
                    "per_page": page.per_page, "total": page.total})


def consultation_analysis(consultation_id: int):
    """The latest snapshot of a public consultation's opinion groups."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.status == ConsultationStatus.DRAFT:
        abort(404)
    found = analysis.latest(consultation.id)
    opinion_map = found.opinion_map
    stats = {s.statement: s for s in opinion_map.overall} if opinion_map else {}
    texts = published_texts(set(stats))
    return jsonify({
        "consultation_id": consultation.id, "computed_at": _time(found.computed_at),
        "participants_total": opinion_map.participants_total if opinion_map else 0,
        "participants_counted": opinion_map.participants_counted if opinion_map else 0,
        # Statements hidden since the analysis are left out.
        "statements": [{"id": s, "text": texts[s], "agree": stat.agree,
                        "disagree": stat.disagree, "passed": stat.passed, "seen": stat.seen}
                       for s, stat in stats.items() if s in texts],
        "groups": [{"label": g.label, "size": len(g.participants), "representative": [
            {"statement": r.statement, "direction": r.direction, "probability": r.probability,
             "ratio": r.ratio, "z_probability": r.z_probability, "z_ratio": r.z_ratio}
            for r in g.representative if r.statement in texts]}
            for g in (opinion_map.groups if opinion_map else ())],
        "consensus": [{"statement": c.statement, "direction": c.direction,
                       "probability": c.probability}
                      for c in (opinion_map.consensus if opinion_map else ())
                      if c.statement in texts],
        "points": [{"x": p.x, "y": p.y, "group": p.group}
                   for p in (opinion_map.points if opinion_map else ())],
    })
