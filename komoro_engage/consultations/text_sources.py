"""A consultation's statements as residents' texts for the free-text map (市民の声の地図).

Registered with ``core/text_sources.py``: published statements of consultations the public
sees (open or closed), for the consultation itself, for each measure it is tied to, and
for the fiscal year they were written in. The map's page of a consultation is named here.
"""

from __future__ import annotations

from collections.abc import Collection

from flask import url_for
from sqlalchemy import select

from komoro_engage.consultations.models import (
    Consultation,
    ConsultationStatus,
    Statement,
    StatementStatus,
    consultation_measure,
)
from komoro_engage.core.text_sources import (
    ScopePage,
    ScopeText,
    TextLink,
    excerpt,
    parse_scope,
    register_scope_page,
    register_text_kind,
    register_text_source,
)
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY, fiscal_year_bounds

KIND = "statement"


def _public():
    return (select(Statement.id, Statement.text, Statement.consultation_id)
            .join(Consultation, Consultation.id == Statement.consultation_id)
            .where(Consultation.status != ConsultationStatus.DRAFT,
                   Statement.status == StatementStatus.PUBLISHED))


def statement_texts(scope_name: str) -> list[ScopeText]:
    parsed = parse_scope(scope_name)
    if parsed is None:
        return []
    kind, ident = parsed
    statements = _public()
    if kind == "consultation":
        statements = statements.where(Statement.consultation_id == ident)
    elif kind == "measure":
        statements = statements.join(
            consultation_measure,
            consultation_measure.c.consultation_id == Statement.consultation_id,
        ).where(consultation_measure.c.measure_id == ident)
    elif kind == "year" and FIRST_FY <= ident <= LAST_FY:
        start, end = fiscal_year_bounds(ident)
        statements = statements.where(Statement.created_at >= start,
                                      Statement.created_at < end)
    else:
        return []
    rows = db.session.execute(statements.order_by(Statement.id))
    return [ScopeText(f"{KIND}:{i}", text) for i, text, _ in rows]


def statement_links(ids: Collection[int]) -> dict[int, TextLink]:
    rows = db.session.execute(_public().where(Statement.id.in_(list(ids))))
    return {i: TextLink(excerpt(text), url_for("consultations.detail",
                                               consultation_id=consultation_id))
            for i, text, consultation_id in rows}


def consultation_page(ident: int) -> ScopePage | None:
    consultation = db.session.get(Consultation, ident)
    if consultation is None or consultation.status == ConsultationStatus.DRAFT:
        return None
    return ScopePage(consultation.title,
                     url_for("consultations.detail", consultation_id=consultation.id))


def register() -> None:
    register_text_source("statements", statement_texts)
    register_text_kind(KIND, statement_links)
    register_scope_page("consultation", consultation_page)
