"""/api/v1/consultations and an analysis: public ones only, anonymous participants."""

from sqlalchemy import select

from komoro_engage.consultations.analysis import analyse_consultation
from komoro_engage.consultations.demo import load_consultation_demo
from komoro_engage.consultations.models import Consultation, ConsultationStatus, StatementStatus
from komoro_engage.extensions import db
from tests.api.test_api_v1 import validate
from tests.consultations.helpers import analysed_demo, make_consultation, make_statement


def test_the_list_and_the_analysis(app, client):
    with app.app_context():
        load_consultation_demo(seed=1)
        demo = db.session.scalars(select(Consultation).order_by(Consultation.id.desc())).first()
        analyse_consultation(demo)
        draft = make_consultation(ConsultationStatus.DRAFT, title="準備中のテーマ")
        cid, draft_id = demo.id, draft.id
        db.session.commit()
    listing = client.get("/api/v1/consultations").get_json()
    assert cid in {item["id"] for item in listing["items"]}
    assert draft_id not in {item["id"] for item in listing["items"]}
    found = client.get(f"/api/v1/consultations/{cid}/analysis").get_json()
    assert found["participants_total"] == 150 and len(found["groups"]) == 3
    assert len(found["points"]) == 150 and set(found["points"][0]) == {"x", "y", "group"}
    assert len(found["statements"]) == 25 and found["consensus"]
    assert client.get(f"/api/v1/consultations/{draft_id}/analysis").status_code == 404
    empty = make_empty(app)
    assert client.get(f"/api/v1/consultations/{empty}/analysis").get_json()["groups"] == []


def make_empty(app) -> int:
    with app.app_context():
        consultation_id = make_consultation().id
        db.session.commit()
    return consultation_id


def test_a_statement_hidden_after_the_analysis_is_left_out(app, client):
    with app.app_context():
        consultation = make_consultation()
        hidden = make_statement(consultation, "あとで非表示になる意見")
        analyse_consultation(consultation)
        hidden.status = StatementStatus.HIDDEN
        cid = consultation.id
        db.session.commit()
    body = client.get(f"/api/v1/consultations/{cid}/analysis").get_data(as_text=True)
    assert "あとで非表示になる意見" not in body


def test_the_answers_match_the_openapi_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    with app.app_context():
        cid = analysed_demo()
        db.session.commit()
    for name, url in (("ConsultationPage", "/api/v1/consultations"),
                      ("ConsultationAnalysis", f"/api/v1/consultations/{cid}/analysis")):
        validate(document, name, client.get(url).get_json())
