"""The home page's vision target 「住み続けたい」 shows the latest confirmed actual of the
indicator that measures it, fed by a survey, with a link to the survey's results."""

from decimal import Decimal

from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.plan.models import Indicator, Measure, VisionTarget
from komoro_engage.surveys import indicators
from komoro_engage.surveys.models import IndicatorLink, Survey
from tests.factories import make_user
from tests.surveys.helpers import answer_all, first_page, make_survey, second_page


def test_the_target_shows_the_survey_fed_actual_once_confirmed(app, client, login):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        survey = make_survey(staff)
        for point in ("1", "2", "2", "3", "5"):
            answer_all(survey, make_user(), (first_page(survey, point), second_page(survey)))
        measure = db.session.scalars(select(Measure).order_by(Measure.id)).first()
        indicator = Indicator(measure_id=measure.id, key="wish-to-stay-test", unit="%",
                              name="住み続けたい市民の割合", direction="higher",
                              target_value=Decimal("75"))
        db.session.add(indicator)
        db.session.flush()
        target = db.session.scalars(select(VisionTarget).where(
            VisionTarget.key == "wish_to_stay")).one()
        target.indicator_id = indicator.id
        indicators.link_indicator(staff, survey.sections[0].questions[0], indicator, [1, 2])
        db.session.commit()
        survey_id = survey.id
    home = client.get("/")
    assert home.status_code == 200 and "の実績" not in home.text  # nothing measured yet
    staff_client = login(staff)
    assert staff_client.post(f"/staff/surveys/{survey_id}/close").status_code == 302
    with app.app_context():
        link_id = db.session.scalars(select(IndicatorLink.id)).one()
    assert staff_client.post(f"/staff/survey-indicators/{link_id}/confirm").status_code == 302
    with app.app_context():
        title = db.session.get(Survey, survey_id).title
    # The home page kept from before the confirmation is built afresh (a plan table moved).
    home = app.test_client().get("/").text
    assert "の実績: <strong>60%</strong>" in home
    assert f'<a href="/surveys/{survey_id}/results">アンケート「{title}」</a>' in home


def test_a_target_without_an_indicator_shows_only_its_value(app, client):
    with app.app_context():
        assert db.session.scalars(select(VisionTarget.indicator_id)).all()
        assert set(db.session.scalars(select(VisionTarget.indicator_id))) == {None}
    home = client.get("/")
    assert home.status_code == 200 and "stat-actual" not in home.text
