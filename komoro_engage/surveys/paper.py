"""Paper answers typed in by staff: the same questions and checks as on the web, all
pages at once, marked as paper with the sheet's number, and audit-logged."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.surveys import answering
from komoro_engage.surveys.models import QuestionKind, Survey, SurveyResponse


def read_all(survey: Survey, form: MultiDict) -> tuple[list, answering.PageResult]:
    """Every section's shown questions, deciding conditions from what was posted on the
    earlier sections, and the checked values of all of them."""
    chosen: set[int] = set()
    pages, merged = [], answering.PageResult(typed=form)
    for section in survey.sections:
        questions = answering.shown(section, chosen)
        page = answering.read_page(questions, form)
        merged.values.update(page.values)
        merged.errors.update(page.errors)
        for question in questions:
            value = page.values.get(question.id)
            if question.kind == QuestionKind.SINGLE and value is not None:
                chosen.add(value)
            elif question.kind == QuestionKind.MULTIPLE and value:
                chosen.update(value)
        pages.append((section, questions))
    return pages, merged


def enter_paper(actor, survey: Survey, paper_ref: str, values: dict, *,
                district_id: int | None = None, age_band: str | None = None) -> SurveyResponse:
    """Record one paper sheet; the district and age band written on it (if any) place it
    in the breakdowns as a web answer's account would."""
    response = SurveyResponse(survey_id=survey.id, is_paper=True, paper_ref=paper_ref,
                              entered_by_id=actor.id, district_id=district_id,
                              age_band=age_band or None)
    db.session.add(response)
    db.session.flush()
    for section in survey.sections:
        answering.save_page(response, section, values)
    answering.submit(response, None)
    record_audit(actor, "survey.paper_entered", survey, after={"response": response.id,
                                                         "district": district_id,
                                                         "age_band": age_band or None})
    return response
