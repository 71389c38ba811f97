"""市民の声: an evaluation record of a measure lists the measure's consultations with the
statements every opinion group agreed on (a section through core/sections.py)."""

from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.consultations.analysis import analyse_consultation
from komoro_engage.consultations.demo import load_consultation_demo
from komoro_engage.consultations.models import Consultation
from komoro_engage.evaluation.services import finalise_record, open_record, save_draft
from komoro_engage.extensions import db
from tests.consultations.helpers import first_measure
from tests.evaluation.helpers import rating
from tests.factories import make_user


def test_the_record_lists_consultations_with_their_consensus(app, client):
    with app.app_context():
        load_consultation_demo(seed=1)
        demo = db.session.scalars(select(Consultation).order_by(Consultation.id.desc())).first()
        analyse_consultation(demo)
        staff = make_user(role=Role.STAFF)
        record = open_record(staff, first_measure(), 2026)
        save_draft(staff, record, rating("B"), "評価", "")
        finalise_record(staff, record)
        early = open_record(staff, first_measure(), 2025)
        save_draft(staff, early, rating("B"), "評価", "")
        finalise_record(staff, early)
        ids = record.id, early.id
        db.session.commit()
    page = client.get(f"/evaluations/{ids[0]}").get_data(as_text=True)
    voices = page.split("市民の声（広聴テーマ）")[1]
    assert "小諸駅周辺の中心市街地" in voices
    assert "まちづくりの進み具合を定期的に知らせてほしい" in voices
    # A record of the year before the consultation opened does not list it.
    assert "市民の声" not in client.get(f"/evaluations/{ids[1]}").get_data(as_text=True)
