"""The demo's closed 市民意識調査 feeds the 住み続けたい share into an indicator's actuals,
shown on the home page beside the vision's target with a link to the survey."""

from sqlalchemy import select

from komoro_engage.core.text_sources import texts_for
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import format_fiscal_year
from komoro_engage.plan.models import IndicatorActual, VisionTarget
from komoro_engage.proposals.demo import NOW, load_all_demo
from komoro_engage.search.text_map_store import requested_scopes
from komoro_engage.surveys.demo import OPINIONS, TITLE
from komoro_engage.surveys.models import Survey, SurveyResponse, SurveyStatus


def test_the_demo_survey_is_closed_and_its_share_is_an_actual(app, client):
    with app.app_context():
        totals = load_all_demo(60, seed=3)
        assert totals["survey responses"] > 100
        survey = db.session.scalars(select(Survey).where(Survey.title == TITLE)).one()
        assert survey.status == SurveyStatus.CLOSED
        actual = db.session.scalars(select(IndicatorActual).where(
            IndicatorActual.source_url == f"/surveys/{survey.id}/results")).one()
        assert 55 < float(actual.value) < 85
        # Paper sheets name their district and age band, so breakdowns show paper too.
        sheets = db.session.execute(select(SurveyResponse.district_id, SurveyResponse.age_band)
                                    .where(SurveyResponse.survey_id == survey.id,
                                           SurveyResponse.is_paper)).all()
        assert len(sheets) == 90
        assert all(district and band for district, band in sheets)
        assert len({district for district, _ in sheets}) > 1
        assert actual.indicator.name == "小諸市に住み続けたいと思う市民の割合"
        # The vision's target is measured by that indicator (the home page shows it).
        target = db.session.scalars(select(VisionTarget).where(
            VisionTarget.key == "wish_to_stay")).one()
        assert target.indicator_id == actual.indicator_id
        # Its approved opinions are mapped by `make run`'s map-texts (closing requested it).
        assert len(texts_for(f"survey:{survey.id}")) == len(OPINIONS)
        assert f"survey:{survey.id}" in requested_scopes()
        assert load_all_demo(1, seed=3)["survey responses"] == 0  # once only
        assert db.session.scalars(select(Survey).where(
            Survey.status == SurveyStatus.PUBLISHED)).one().is_open
        db.session.commit()
        shown = (f'{format_fiscal_year(actual.fiscal_year, "ja")}の実績: '
                 f'<strong>{float(actual.value):g}%</strong>')
        link = f'<a href="/surveys/{survey.id}/results">アンケート「{TITLE}」</a>'
    assert NOW.year == 2026
    home = client.get("/")
    assert home.status_code == 200
    assert shown in home.text and link in home.text
