"""Build consultations for tests (call inside an app context; rows are flushed, not committed)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from komoro_engage.accounts.models import Role, User
from komoro_engage.consultations.analysis import analyse_consultation
from komoro_engage.consultations.demo import load_consultation_demo
from komoro_engage.consultations.models import (
    Consultation,
    ConsultationStatus,
    Statement,
    StatementStatus,
)
from komoro_engage.consultations.services import ConsultationData, save_consultation
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from tests.factories import make_user


def first_measure() -> Measure:
    return db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()


def make_consultation(status: ConsultationStatus = ConsultationStatus.OPEN,
                      seeds: tuple[str, ...] = ("駅前に屋根付きの駐輪場がほしい",
                                                "公園の遊具を新しくしてほしい"),
                      staff: User | None = None, title: str = "駅前のにぎわいについて",
                      ) -> Consultation:
    """A consultation open from yesterday for a month, tied to the plan's first measure."""
    staff = staff or make_user(role=Role.STAFF)
    now = clock.now()
    consultation = save_consultation(staff, ConsultationData(
        title=title, description="駅前をどうしたいか、ご意見をお寄せください。",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        measure_ids=[first_measure().id], seeds=list(seeds)))
    consultation.status = status
    db.session.flush()
    return consultation


def statements_of(consultation: Consultation) -> list[Statement]:
    return list(db.session.scalars(select(Statement).where(
        Statement.consultation_id == consultation.id).order_by(Statement.id)))


def make_statement(consultation: Consultation, text: str = "ベンチを増やしてほしい",
                   author: User | None = None,
                   status: StatementStatus = StatementStatus.PUBLISHED, **fields) -> Statement:
    fields.setdefault("published_at", clock.now())
    statement = Statement(consultation_id=consultation.id, text=text,
                          author_id=author.id if author else None, status=status, **fields)
    db.session.add(statement)
    db.session.flush()
    return statement


def analysed_demo() -> int:
    """The demo consultation (150 people in three planted groups), analysed; its id."""
    load_consultation_demo(seed=1)
    consultation = db.session.scalars(select(Consultation).order_by(
        Consultation.id.desc())).first()
    analyse_consultation(consultation)
    return consultation.id
