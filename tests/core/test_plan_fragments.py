"""What pages keep from the plan (core/fragments.py): built once, fresh after every plan change."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, select

from komoro_engage.core import content_version
from komoro_engage.core.fragments import EXTENSION, PlanFragments, from_plan
from komoro_engage.extensions import db
from komoro_engage.plan import PLAN_TABLES
from komoro_engage.plan.models import District, Measure, PolicyArea
from tests.factories import make_user


@pytest.fixture
def fragments(app, monkeypatch):
    """An empty store for this test (the app's own is shared by the whole session)."""
    kept = PlanFragments()
    monkeypatch.setitem(app.extensions, EXTENSION, kept)
    return kept


def rename(app, model, new_name: str, **where) -> None:
    with app.app_context():
        row = db.session.scalars(select(model).filter_by(**where)).first()
        if model is Measure:
            row.title = new_name
        else:
            row.name = new_name
        db.session.commit()


# A CSRF token carries the second it was signed in: two renders a second apart differ there.
CSRF_TOKEN = re.compile(
    r"(csrf-token\" content=\"|X-CSRFToken\": \"|name=\"csrf_token\" value=\")[^\"]*")


def without_csrf_tokens(html: str) -> str:
    return CSRF_TOKEN.sub(r"\1", html)


def test_the_home_page_is_built_once_and_again_after_the_plan_changes(app, client, fragments,
                                                                      count_queries):
    first = client.get("/")
    assert first.status_code == 200 and "子育て" in first.text
    count_queries.reset()
    again = client.get("/")
    # The kept content: the plan's version and the quick poll placed on home (issue 19)
    # are the only queries left (no user: signed out).
    assert without_csrf_tokens(again.text) == without_csrf_tokens(first.text)
    assert count_queries.count == 2, count_queries.statements
    rename(app, PolicyArea, "子育てと学びの分野（改）", number=1)
    assert "子育てと学びの分野（改）" in client.get("/").text


def resident(app):
    with app.app_context():
        user = make_user()
        db.session.commit()
        return user


def test_the_filter_menus_follow_a_renamed_measure_and_district(app, login, fragments):
    client = login(resident(app))
    with app.app_context():
        measure = db.session.scalars(select(Measure)).first()
        district = db.session.scalars(select(District)).first()
        measure_id, district_id = measure.id, district.id
    assert client.get("/proposals").status_code == 200
    rename(app, Measure, "新しい施策の名前", id=measure_id)
    rename(app, District, "新しい地区の名前", id=district_id)
    for path in ("/proposals", "/projects"):
        page = client.get(path).text
        assert "新しい施策の名前" in page and "新しい地区の名前" in page, path


def test_the_kept_filter_form_shows_each_visitors_own_selection(app, client, fragments):
    with app.app_context():
        district_id = db.session.scalars(select(District.id)).first()
    plain = client.get("/proposals").text
    chosen = client.get(f"/proposals?district={district_id}&q=%E8%8A%B1%E5%A3%87").text
    assert f'<option value="{district_id}" selected>' in chosen
    assert f'<option value="{district_id}" selected>' not in plain
    assert 'value="花壇"' in chosen and 'value="花壇"' not in plain
    assert f'<option value="{district_id}" selected>' not in client.get("/proposals").text


def test_each_language_has_its_own_kept_page(app, client, fragments):
    japanese = client.get("/").text
    client.set_cookie("lang", "en", domain="localhost")
    english = client.get("/").text
    assert "6つの政策分野" in japanese and "6つの政策分野" not in english


def test_a_rolled_back_plan_change_is_never_served_and_its_number_never_reused(app):
    with app.app_context():
        before = content_version.plan_version()
        area = db.session.scalars(select(PolicyArea)).first()
        area.name = "取り消される名前"
        db.session.flush()
        # Read inside the transaction that wrote: never kept, it may roll back.
        assert content_version.plan_written_uncommitted()
        kept = app.extensions[EXTENSION]
        with app.test_request_context("/"):
            from_plan(("test-uncommitted",), lambda: "取り消される名前")
            assert kept.get(content_version.plan_version(), ("ja", "test-uncommitted")) is None
        db.session.rollback()
        assert content_version.plan_version() == before
        area = db.session.scalars(select(PolicyArea)).first()
        area.slogan = (area.slogan or "") + " "
        db.session.commit()
        moved = content_version.plan_version()
        assert moved != before
        area.slogan = area.slogan[:-1]
        db.session.commit()
        assert content_version.plan_version() not in (before, moved)


def test_other_writes_leave_the_plan_version_alone(app, login):
    with app.app_context():
        before = content_version.plan_version()
    client = login(resident(app))
    assert client.post("/proposals/new", data={}).status_code in (200, 422)
    resident(app)
    with app.app_context():
        assert content_version.plan_version() == before


def test_the_watched_plan_tables_exist(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(PLAN_TABLES) <= tables


def test_the_store_keeps_one_version_and_drops_the_least_recently_used():
    store = PlanFragments(limit=2)
    store.put(1, ("a",), "A")
    store.put(1, ("b",), "B")
    assert store.get(1, ("a",)) == "A"  # now the most recently used
    store.put(1, ("c",), "C")
    assert store.get(1, ("b",)) is None and store.get(1, ("a",)) == "A"
    store.put(2, ("c",), "C2")
    assert store.get(1, ("a",)) is None and store.get(2, ("c",)) == "C2"
