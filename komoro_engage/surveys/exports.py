"""A survey's results as rows: the public CSV (core/csv_export.py writes it) and the
staff workbook (one sheet of results, one of every submitted response's answers)."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from komoro_engage.core.csv_export import cell
from komoro_engage.extensions import db
from komoro_engage.surveys.models import Answer, Option, SurveyResponse
from komoro_engage.surveys.results import submitted, survey_results


def result_rows(survey) -> list[list]:
    """One row per option, scale point or matrix row; texts after moderation only."""
    rows = [[_("質問"), _("項目"), _("ウェブ"), _("紙"), _("合計"),
             _("回答者に占める割合（%）"), _("平均")]]
    for result in survey_results(survey):
        prompt = result.question.prompt
        for bar in result.bars:
            rows.append([prompt, bar.label, bar.counts["web"], bar.counts["paper"], bar.total,
                         result.share(bar), bar.mean])
        if result.mean is not None:
            rows.append([prompt, _("平均"), None, None, result.total, None, result.mean])
        rows.extend([prompt, _("自由記述"), None, None, None, None, text]
                    for text in result.texts)
    return rows


def workbook(survey) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "results"
    for row in result_rows(survey):
        sheet.append([_excel(value) for value in row])
    answers = book.create_sheet("answers")
    answers.append(["response", "channel", "paper_ref", "district_id", "age_band",
                    "question_id", "option", "row", "number", "text"])
    for answer, response, option_label in db.session.execute(
            select(Answer, SurveyResponse, Option.label)
            .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
            .outerjoin(Option, Option.id == Answer.option_id)
            .where(submitted(survey.id)).order_by(Answer.response_id, Answer.id)):
        answers.append([_excel(value) for value in (
            response.id, "paper" if response.is_paper else "web", response.paper_ref,
            response.district_id, response.age_band, answer.question_id, option_label,
            answer.row, answer.number, answer.text)])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _excel(value):
    """Numbers stay numbers; text that a spreadsheet could run as a formula is neutralised."""
    if value is None or isinstance(value, int | float):
        return value
    return cell(value)
