"""A consultation's statements on the free-text map (issue 17, point 3): its own map,
its measures' and its year's; only published statements of public consultations."""

from __future__ import annotations

from komoro_engage.consultations.models import ConsultationStatus, StatementStatus
from komoro_engage.core.text_sources import links_for, scope, texts_for
from komoro_engage.extensions import db
from tests.consultations.helpers import first_measure, make_consultation, make_statement
from tests.factories import make_user


def test_published_statements_feed_the_consultation_and_its_measure(app, client):
    with app.app_context():
        consultation = make_consultation()
        shown = make_statement(consultation, "駅前の駐輪場を広げてほしい", author=make_user())
        hidden = make_statement(consultation, "確認待ちの意見", author=make_user(),
                                status=StatementStatus.PENDING)
        draft = make_consultation(status=ConsultationStatus.DRAFT)
        unseen = make_statement(draft, "下書きの意見", author=make_user())
        db.session.commit()
        own = {t.key for t in texts_for(scope("consultation", consultation.id))}
        assert f"statement:{shown.id}" in own and f"statement:{hidden.id}" not in own
        measure = {t.key for t in texts_for(scope("measure", first_measure().id))}
        assert f"statement:{shown.id}" in measure and f"statement:{unseen.id}" not in measure
        with app.test_request_context():
            link = links_for([f"statement:{shown.id}", f"statement:{unseen.id}"])
        assert list(link) == [f"statement:{shown.id}"]
        assert link[f"statement:{shown.id}"].url == f"/consultations/{consultation.id}"
        ids = consultation.id, draft.id
    page = client.get(f"/voices/consultations/{ids[0]}")
    assert page.status_code == 200
    assert client.get(f"/voices/consultations/{ids[1]}").status_code == 404
    detail = client.get(f"/consultations/{ids[0]}").get_data(as_text=True)
    assert f'href="/voices/consultations/{ids[0]}"' in detail
