"""The demo consultation: open, tied to a measure, votes planted in three groups."""

from sqlalchemy import func, select

from komoro_engage.consultations.demo import GROUPS, STATEMENTS, load_consultation_demo
from komoro_engage.consultations.models import (
    AGREE,
    Consultation,
    Statement,
    StatementVote,
)
from komoro_engage.extensions import db


def test_the_demo_is_open_with_exact_counts_and_planted_groups(app, client):
    with app.app_context():
        totals = load_consultation_demo(seed=1)
        consultation = db.session.scalars(select(Consultation).order_by(
            Consultation.id.desc())).first()
        assert consultation.accepts_votes() and consultation.measures
        statements = db.session.scalars(select(Statement).where(
            Statement.consultation_id == consultation.id).order_by(Statement.id)).all()
        assert len(statements) == len(STATEMENTS) == totals["consultation statements"]
        rows = dict(db.session.execute(
            select(StatementVote.statement_id, func.count()).group_by(
                StatementVote.statement_id)).all())
        assert all(s.vote_count == rows[s.id] for s in statements)
        people = db.session.scalars(select(StatementVote.user_id).where(
            StatementVote.consultation_id == consultation.id).distinct().order_by(
            StatementVote.user_id)).all()
        assert len(people) == 150
        # The first statement: the first group mostly agrees, the second mostly not.
        first = statements[0].id
        for group, lean_agrees in ((0, True), (1, False)):
            members = people[group::GROUPS]
            values = db.session.scalars(select(StatementVote.value).where(
                StatementVote.statement_id == first,
                StatementVote.user_id.in_(members))).all()
            share = sum(v == AGREE for v in values) / len(values)
            assert (share > 0.6) if lean_agrees else (share < 0.3), share
        cid = consultation.id
        db.session.commit()
    html = client.get(f"/consultations/{cid}").get_data(as_text=True)
    assert "参加者 150人" in html and "代理入力（地区懇談会（中央地区））" in html
