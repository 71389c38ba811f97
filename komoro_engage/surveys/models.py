"""Surveys: sections of questions, the responses people give and their answers.

A response is one per signed-in person (UNIQUE survey, user) or one per browser for a
visitor (UNIQUE survey, visitor_hash: the hash of a signed cookie's token), so a double
tap or a second tab never makes a second response. Paper responses carry neither.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import Indicator


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SCALE = "scale"
    MATRIX = "matrix"
    RANKING = "ranking"


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
SCALE_POINTS = (1, 2, 3, 4, 5)


class TextReview(StrEnum):
    """Free-text answers are listed in results only once staff approved them."""

    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"


class Survey(db.Model):
    __table_args__ = (Index("ix_survey_placement", "placement", "placement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SurveyStatus] = mapped_column(String(20), default=SurveyStatus.DRAFT,
                                                 index=True)
    opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    allow_visitors: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A quick poll: one question, answered in place on the page it is placed on
    # (``placement`` "home", "measure" or "project", and that measure's or project's id).
    is_poll: Mapped[bool] = mapped_column(Boolean, default=False)
    placement: Mapped[str | None] = mapped_column(String(20))
    placement_id: Mapped[int | None]

    sections: Mapped[list[SurveySection]] = relationship(
        back_populates="survey", order_by="SurveySection.sort_order",
        cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        now = clock.now()
        return (self.status == SurveyStatus.PUBLISHED
                and (self.opens_at is None or self.opens_at <= now)
                and (self.closes_at is None or now < self.closes_at))


class SurveySection(db.Model):
    __tablename__ = "survey_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    title: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(default=0)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.sort_order", cascade="all, delete-orphan")


class Question(db.Model):
    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Also on the question (not only its section) so results group by survey in one query.
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_section.id", ondelete="CASCADE"), index=True)
    kind: Mapped[QuestionKind] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(String(500))
    help: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    max_choices: Mapped[int | None]  # multiple choice: at most this many
    rows: Mapped[list | None] = mapped_column(JSON)  # matrix: the statements rated 1–5
    sort_order: Mapped[int] = mapped_column(default=0)
    # Shown only when an earlier section's question was answered with this option.
    condition_option_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_option.id", ondelete="SET NULL", use_alter=True,
                   name="fk_survey_question_condition_option"))

    section: Mapped[SurveySection] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question", order_by="Option.sort_order", cascade="all, delete-orphan",
        foreign_keys="Option.question_id")


class Option(db.Model):
    __tablename__ = "survey_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(default=0)

    question: Mapped[Question] = relationship(back_populates="options",
                                              foreign_keys=[question_id])


class SurveyResponse(db.Model):
    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id", name="uq_survey_response_user"),
        UniqueConstraint("survey_id", "visitor_hash", name="uq_survey_response_visitor"),
        Index("ix_survey_response_survey_submitted", "survey_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="SET NULL"))
    visitor_hash: Mapped[str | None] = mapped_column(String(64))
    is_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    paper_ref: Mapped[str] = mapped_column(String(60), default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Copied from the account when submitted: breakdowns stay as they were answered.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    age_band: Mapped[str | None] = mapped_column(String(20))
    # The section to come back to (progress of an unfinished response).
    next_section: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class Answer(db.Model):
    """One chosen option, one rated matrix row, one ranked option, one scale value or one
    text; a question's answers are replaced together when its section is saved."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        Index("ix_survey_answer_question_option", "question_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_option.id", ondelete="CASCADE"))
    row: Mapped[int | None]  # matrix row index
    number: Mapped[int | None]  # scale value 1–5, or rank position (1 = first)
    text: Mapped[str | None] = mapped_column(Text)
    review: Mapped[TextReview | None] = mapped_column(String(20))


class IndicatorLink(db.Model):
    """A question that measures a plan indicator, by a rule: the share of respondents who
    answered one of ``scale_points`` (1–5) or chose one of ``option_ids``. Closing the
    survey proposes the value for that fiscal year; staff confirm it into the actuals."""

    __tablename__ = "survey_indicator_link"
    __table_args__ = (UniqueConstraint("question_id", "indicator_id",
                                       name="uq_survey_indicator_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"),
                                              index=True)
    values: Mapped[list] = mapped_column(JSON)  # scale points, or option ids
    proposed_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    fiscal_year: Mapped[int | None]
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    question: Mapped[Question] = relationship()
    indicator: Mapped[Indicator] = relationship()
