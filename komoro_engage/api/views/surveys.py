"""``/api/v1/surveys``: published and closed surveys, their questions, and the results of
closed ones (the public results page's numbers; free text only after moderation)."""

from __future__ import annotations

from flask import abort, jsonify, request, url_for
from sqlalchemy import select

from komoro_engage.api.serializers import _time
from komoro_engage.core.listing import simple_page
from komoro_engage.core.numbers import page_number
from komoro_engage.extensions import db
from komoro_engage.surveys import results
from komoro_engage.surveys.models import Survey, SurveyStatus

PER_PAGE = 20


def _survey(survey: Survey) -> dict:
    closed = survey.status == SurveyStatus.CLOSED
    return {"id": survey.id, "title": survey.title, "intro": survey.intro,
            "status": str(survey.status), "opens_at": _time(survey.opens_at),
            "closes_at": _time(survey.closes_at), "closed_at": _time(survey.closed_at),
            "url": url_for("surveys.detail", survey_id=survey.id, _external=True),
            "results_url": url_for("surveys.results_page", survey_id=survey.id,
                                   _external=True) if closed else None}


def _result(result: results.QuestionResult) -> dict:
    question = result.question
    return {"id": question.id, "kind": str(question.kind), "prompt": question.prompt,
            "required": question.required, "respondents": dict(result.respondents),
            "mean": result.mean,
            "items": [{"label": bar.label, "web": bar.counts["web"],
                       "paper": bar.counts["paper"], "total": bar.total,
                       "share": result.share(bar), "mean": bar.mean} for bar in result.bars],
            "texts": list(result.texts)}


def surveys():
    """Published and closed surveys, newest first, a page at a time (drafts are never
    listed)."""
    page = simple_page(select(Survey).where(Survey.status != SurveyStatus.DRAFT)
                       .order_by(Survey.id.desc()), page_number(request.args.get("page")),
                       PER_PAGE)
    return jsonify({"items": [_survey(survey) for survey in page.items], "page": page.page,
                    "per_page": page.per_page, "total": page.total})


def survey(survey_id: int):
    """One survey's questions; with the results once it is closed (a draft is 404)."""
    found = db.get_or_404(Survey, survey_id)
    if found.status == SurveyStatus.DRAFT:
        abort(404)
    closed = found.status == SurveyStatus.CLOSED
    questions = (results.survey_results(found) if closed else
                 [results.QuestionResult(q) for q in results.load_questions(found)])
    return jsonify({**_survey(found), "respondents": results.respondents(found)
                    if closed else None,
                    "questions": [_result(result) if closed else {
                        "id": result.question.id, "kind": str(result.question.kind),
                        "prompt": result.question.prompt,
                        "required": result.question.required, "respondents": None,
                        "mean": None, "items": [{"label": option.label, "web": None,
                                                 "paper": None, "total": None, "share": None,
                                                 "mean": None}
                                                for option in result.question.options],
                        "texts": []} for result in questions]})
