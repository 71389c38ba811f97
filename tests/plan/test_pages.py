"""Public plan pages in both languages, with a fixed number of queries."""

import pytest

PAGES = [
    "/",
    "/plan/areas/1",
    "/plan/areas/5",
    "/plan/measures/1-2",
    "/plan/measures/1-2?edition=basic-plan-9",
    "/plan/priorities/2",
    "/plan/priorities/5",
    "/plan/districts",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_in_japanese_by_default(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="ja">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "こもろ協働ひろば" in html


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_in_english_after_switching(client, path):
    response = client.post("/lang", data={"lang": "en", "next": path})
    assert response.status_code == 302 and response.location == path
    html = client.get(path).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Komoro Engage" in html
    assert "本文へ移動" not in html


def test_home_shows_vision_areas_and_priority_items(client):
    html = client.get("/").get_data(as_text=True)
    assert "住みたい 行きたい 帰ってきたい まち 小諸" in html
    for area in (
        "子育て・教育",
        "環境",
        "健康・福祉",
        "産業・交流",
        "生活基盤整備",
        "協働・行政経営",
    ):
        assert area in html
    for item in ("若者が幸せに暮らせるまち", "時代の変化へ柔軟に対応"):
        assert item in html
    assert "38,279" in html


def test_measure_page_shows_indicator_and_citing_items(client):
    html = client.get("/plan/measures/1-2?edition=basic-plan-9").get_data(as_text=True)
    assert "子育て環境を整備します" in html
    assert "低いほど良い" in html and "26.3%" in html and "19.5%" in html
    assert "2015年度（平成27年度）" in html and "24.2%" in html
    assert "<td>30.9%</td>" in html  # achievement: (24.2 − 26.3) / (19.5 − 26.3)

    html = client.get("/plan/measures/3-1").get_data(as_text=True)
    assert "正式名称は確認中" in html
    for number in (2, 3, 4, 5):
        assert f'href="/plan/priorities/{number}"' in html
    assert 'href="/plan/priorities/1"' not in html


def test_priority_item_5_lists_every_measure(client):
    html = client.get("/plan/priorities/5").get_data(as_text=True)
    for code in ("1-1", "1-2", "1-6", "3-1", "3-2", "4-2", "6-1"):
        assert f'href="/plan/measures/{code}"' in html


def test_districts_page_lists_all_districts_and_ku(client):
    html = client.get("/plan/districts").get_data(as_text=True)
    assert "10地区・68区" in html
    assert "ひばりヶ丘" in html and "御牧ヶ原" in html


@pytest.mark.parametrize(
    "path",
    [
        "/plan/areas/9",
        "/plan/measures/9-9",
        "/plan/priorities/42",
        "/plan/measures/1-2?edition=nope",
        "/no-such-page",
    ],
)
def test_unknown_things_get_a_404_in_the_layout(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "お探しのページは見つかりませんでした" in html and '<main id="main"' in html


@pytest.mark.parametrize("path", PAGES)
def test_query_count_is_small_and_fixed(client, count_queries, path):
    client.get(path)  # warm up
    count_queries.reset()
    assert client.get(path).status_code == 200
    # Measure pages also list the measure's evaluation records, the proposals staff
    # linked to it, its consultations, its 協働 projects and a quick poll placed on it (one
    # statement each).
    assert count_queries.count <= (11 if "/measures/" in path else 6), count_queries.statements


def test_fragment_for_htmx_and_vary_header(client):
    response = client.get("/plan/districts", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "ひばりヶ丘" in html
    assert "HX-Request" in response.headers["Vary"]
    boosted = client.get("/plan/districts", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)


def test_language_switch_refuses_foreign_next(client):
    response = client.post("/lang", data={"lang": "en", "next": "//evil.example/"})
    assert response.status_code == 302 and response.location == "/"


def test_measure_page_queries_do_not_grow_with_indicators(app, client, count_queries):
    from decimal import Decimal

    from sqlalchemy import select

    from komoro_engage.extensions import db
    from komoro_engage.plan.models import Indicator, IndicatorActual, Measure, PlanEdition

    def add_indicators(numbers):
        with app.app_context():
            measure = db.session.scalars(
                select(Measure)
                .join(PlanEdition)
                .where(PlanEdition.is_current, Measure.code == "3-1")
            ).one()
            for n in numbers:
                indicator = Indicator(
                    measure=measure, key=f"k{n}", name=f"指標{n}", unit="%", direction="higher"
                )
                indicator.actuals = [
                    IndicatorActual(fiscal_year=2020 + y, value=Decimal(y)) for y in range(4)
                ]
                db.session.add(indicator)
            db.session.commit()

    add_indicators([0])
    count_queries.reset()
    client.get("/plan/measures/3-1")
    before = count_queries.count
    add_indicators(range(1, 8))
    count_queries.reset()
    html = client.get("/plan/measures/3-1").get_data(as_text=True)
    assert "指標7" in html
    assert count_queries.count == before
