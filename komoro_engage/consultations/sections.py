"""Consultations on pages of other layers, through core/sections.py: those tied to a
measure on the measure's page (one query), and on the measure's evaluation record with
the statements every opinion group agreed on, 市民の声 (three queries)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from komoro_engage.consultations.analysis import PAYLOAD_TEXT, opinion_map_of
from komoro_engage.consultations.models import (
    AnalysisKind,
    Consultation,
    ConsultationAnalysis,
    ConsultationStatus,
    consultation_measure,
)
from komoro_engage.consultations.report import published_texts
from komoro_engage.core.sections import Section, register_section
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import fiscal_year_bounds


def _of_measure(measure_id: int, *where) -> list[Consultation]:
    return list(db.session.scalars(
        select(Consultation)
        .join(consultation_measure, consultation_measure.c.consultation_id == Consultation.id)
        .where(consultation_measure.c.measure_id == measure_id,
               Consultation.status != ConsultationStatus.DRAFT, *where)
        .order_by((Consultation.status == ConsultationStatus.OPEN).desc(),
                  Consultation.opens_at.desc(), Consultation.id.desc())))


def measure_consultations(measure) -> Section | None:
    """The measure's public consultations, open ones first; nothing when there are none."""
    rows = _of_measure(measure.id)
    if not rows:
        return None
    return Section("consultations/_measure_consultations.html", {"consultations": rows})


@dataclass(frozen=True)
class Voices:
    """A consultation and the statements all its opinion groups agreed (or disagreed) on."""

    consultation: Consultation
    agreed: list[tuple[str, bool]]  # (text, True for agreement)


def record_voices(record) -> Section | None:
    """市民の声 on an evaluation record: the measure's consultations opened by the end of
    the record's fiscal year, each with its consensus statements."""
    _start, end = fiscal_year_bounds(record.fiscal_year)
    rows = _of_measure(record.measure_id, Consultation.opens_at < end)
    if not rows:
        return None
    payloads = db.session.execute(
        select(ConsultationAnalysis.consultation_id, PAYLOAD_TEXT).where(
            ConsultationAnalysis.consultation_id.in_([c.id for c in rows]),
            ConsultationAnalysis.kind == AnalysisKind.OPINION.value)).all()
    maps = {cid: found for cid, text in payloads if (found := opinion_map_of(text))}
    texts = published_texts({c.statement for m in maps.values() for c in m.consensus})
    voices = [Voices(c, [(texts[x.statement], x.direction == "agree")
                         for x in (maps[c.id].consensus if c.id in maps else ())
                         if x.statement in texts]) for c in rows]
    return Section("consultations/_record_voices.html", {"voices": voices})


def register() -> None:
    # After the measure's proposals (10), before its projects (20).
    register_section("plan.measure", "consultations", measure_consultations, order=15)
    register_section("evaluation.record", "consultations", record_voices)
