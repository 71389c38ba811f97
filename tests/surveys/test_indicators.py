"""A question feeds a plan indicator: linked by staff, proposed on closing, confirmed into
the indicator's actuals (by evaluation, through core/events.py), shown with a link back."""

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role, User
from komoro_engage.core.audit import AuditEntry
from komoro_engage.evaluation.results import indicator_row
from komoro_engage.extensions import db
from komoro_engage.plan.models import Indicator, IndicatorActual
from komoro_engage.surveys.models import IndicatorLink, Survey
from tests.factories import make_user
from tests.surveys.helpers import answer_all, first_page, make_survey, second_page


@pytest.fixture
def world(app):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        survey = make_survey()
        for point in ("1", "2", "2", "4", "5"):
            answer_all(survey, make_user(), (first_page(survey, point), second_page(survey)))
        indicator = db.session.scalars(select(Indicator).where(
            Indicator.key == "childcare-dissatisfaction")).one()
        db.session.commit()
        return {"staff": staff, "staff_id": staff.id, "measure": indicator.measure_id,
                "survey": survey.id, "indicator": indicator.id,
                "scale": survey.sections[0].questions[0].id,
                "multiple": survey.sections[0].questions[1].id,
                "code": indicator.measure.code}


def test_closing_proposes_the_share_and_staff_confirm_it(app, login, world):
    client = login(world["staff"])
    url = f"/staff/surveys/{world['survey']}/indicators"
    form = client.get(url)
    assert form.status_code == 200 and "子育て環境について" in form.text
    wrong = client.post(url, data={"question": world["scale"],
                                   "indicator": world["indicator"], "values": "0,9"})
    assert wrong.status_code == 422 and 'value="0,9"' in wrong.text
    assert client.post(url, data={"question": world["scale"], "indicator": world["indicator"],
                                  "values": "1、2"}).status_code == 302
    client.post(f"/staff/surveys/{world['survey']}/close")
    with app.app_context():
        link = db.session.scalars(select(IndicatorLink)).one()
        assert float(link.proposed_value) == 60.0 and link.confirmed_at is None
        link_id, year = link.id, link.fiscal_year
    builder = client.get(f"/staff/surveys/{world['survey']}")
    assert "実績に反映する" in builder.text
    assert client.post(f"/staff/survey-indicators/{link_id}/confirm").status_code == 302
    with app.app_context():
        actual = db.session.scalars(select(IndicatorActual).where(
            IndicatorActual.indicator_id == world["indicator"],
            IndicatorActual.fiscal_year == year)).one()
        assert float(actual.value) == 60.0
        assert actual.source_url == f"/surveys/{world['survey']}/results"
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"survey.indicator_linked", "survey.indicator_confirmed",
            "indicator.actual_recorded"} <= actions
    staff_page = client.get(f"/staff/measures/{world['measure']}/indicators")
    assert f'href="/surveys/{world["survey"]}/results"' in staff_page.text
    with app.app_context():
        # The dashboard and evaluation records take their rows from here.
        row = indicator_row(db.session.get(Indicator, world["indicator"]), year)
        assert row["actual"] == "60" and row["source_url"].endswith("/results")


def test_choices_are_counted_by_their_position(app, world):
    from komoro_engage.surveys import indicators
    from komoro_engage.surveys.services import change_status
    with app.app_context():
        survey = db.session.get(Survey, world["survey"])
        question = survey.sections[0].questions[1]
        staff = db.session.get(User, world["staff_id"])
        indicators.link_indicator(staff, question, db.session.get(
            Indicator, world["indicator"]), [1])
        change_status(staff, survey, "close")
        assert float(indicators.links_of(survey)[0].proposed_value) == 100.0
        with pytest.raises(indicators.LinkError):
            indicators.rule_values(question, [4])
