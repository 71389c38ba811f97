"""Indicators fed by answers: staff link a question to a plan indicator with a rule (the
share of respondents answering given scale points or choosing given options); closing
the survey proposes that fiscal year's value; staff confirm it, and evaluation records it
as the indicator's actual through core/events.py (surveys never import evaluation).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import fiscal_year_of
from komoro_engage.plan.models import Indicator, Measure
from komoro_engage.surveys.models import (
    SCALE_POINTS,
    IndicatorLink,
    Question,
    QuestionKind,
    Survey,
)
from komoro_engage.surveys.results import share_of

MEASURING_KINDS = (QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class LinkError(ValueError):
    """The rule does not fit the question (message key for the view)."""


def percent_indicators() -> list[Indicator]:
    """Indicators counted in percent: the ones a share of respondents can measure."""
    return db.session.scalars(select(Indicator).join(Measure).where(Indicator.unit == "%")
                              .order_by(Measure.sort_key, Indicator.sort_order)
                              .options(joinedload(Indicator.measure))).all()


def rule_values(question: Question, numbers: list[int]) -> list[int]:
    """Scale points as typed, or the options at the typed positions (1 = first listed)."""
    if question.kind not in MEASURING_KINDS or not numbers:
        raise LinkError("kind")
    if question.kind == QuestionKind.SCALE:
        if not set(numbers) <= set(SCALE_POINTS):
            raise LinkError("values")
        return sorted(set(numbers))
    if not all(1 <= number <= len(question.options) for number in numbers):
        raise LinkError("values")
    return sorted({question.options[number - 1].id for number in numbers})


def link_indicator(actor, question: Question, indicator: Indicator,
                   numbers: list[int]) -> IndicatorLink:
    values = rule_values(question, numbers)
    link = db.session.scalar(select(IndicatorLink).where(
        IndicatorLink.question_id == question.id, IndicatorLink.indicator_id == indicator.id))
    if link is None:
        link = IndicatorLink(survey_id=question.survey_id, question_id=question.id,
                             indicator_id=indicator.id)
        db.session.add(link)
    link.values = values
    db.session.flush()
    record_audit(actor, "survey.indicator_linked", db.session.get(Survey, question.survey_id),
                 after={"question": question.id, "indicator": indicator.id, "values": values})
    return link


def value_of(survey: Survey, link: IndicatorLink) -> float | None:
    if link.question.kind == QuestionKind.SCALE:
        return share_of(survey, link.question, numbers=set(link.values))
    return share_of(survey, link.question, option_ids=set(link.values))


def propose_values(survey: Survey) -> None:
    """On closing: each linked indicator gets the value its rule gives, for the fiscal
    year the survey closed in, waiting for staff to confirm it."""
    for link in links_of(survey):
        value = value_of(survey, link)
        link.proposed_value = None if value is None else Decimal(str(value))
        link.fiscal_year = fiscal_year_of(survey.closed_at or clock.now())
    db.session.flush()


def links_of(survey: Survey) -> list[IndicatorLink]:
    return db.session.scalars(select(IndicatorLink).where(IndicatorLink.survey_id == survey.id)
                              .order_by(IndicatorLink.id)
                              .options(joinedload(IndicatorLink.question),
                                       joinedload(IndicatorLink.indicator))).all()


def confirm(actor, link: IndicatorLink, source: str, source_url: str) -> None:
    """Staff confirm the proposed value into the indicator's actuals (evaluation records
    it, audit-logged there too)."""
    if link.proposed_value is None or link.fiscal_year is None:
        raise LinkError("nothing")
    events.indicator_actual_confirmed.send(
        link, actor=actor, indicator_id=link.indicator_id, fiscal_year=link.fiscal_year,
        value=link.proposed_value, source=source, source_url=source_url)
    link.confirmed_at, link.confirmed_by_id = clock.now(), actor.id
    record_audit(actor, "survey.indicator_confirmed", db.session.get(Survey, link.survey_id),
                 after={"indicator": link.indicator_id, "fiscal_year": link.fiscal_year,
                        "value": str(link.proposed_value)})
    db.session.flush()
