"""Staff finalise an evaluation record on a phone; the public dashboard then shows it."""

from __future__ import annotations

import re

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from tests.browser.helpers import run_axe, scroll_width
from tests.evaluation.helpers import jst, link, measure
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "ja-JP",
         "timezone_id": "Asia/Tokyo"}


def staff_cookie(live_server) -> str:
    """A signed session cookie of a new staff account on the live server."""
    with live_server.app.app_context():
        staff_id = make_user(Role.STAFF, nickname="評価担当").get_id()
        db.session.commit()
        app = live_server.app
        with app.test_request_context():
            return app.session_interface.get_signing_serializer(app).dumps(
                {"_user_id": staff_id, "_fresh": True})


def test_staff_finalise_a_record_and_the_dashboard_shows_it(live_server, browser):
    with live_server.app.app_context():
        link(make_proposal(title="子育てサロンを駅前に", published_at=jst(2025, 6, 1)),
             measure("1-2"))
        db.session.commit()
    cookie = staff_cookie(live_server)
    staff = browser.new_context(**PHONE)
    staff.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/evaluation?fiscal_year=2025")
    row = page.get_by_role("row", name=re.compile("1-2"))
    row.get_by_role("link", name="評価を編集").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("施策評価 1-2")
    expect(page.get_by_text("子育てサロンを駅前に")).to_be_visible()  # live item list

    page.get_by_label("A 順調").check()
    page.get_by_label("評価（Check）").fill("相談の場が増え、提案も生かされた。")
    page.get_by_label("今後の方向性（Act）").fill("地区ごとに広げる。")
    page.get_by_role("button", name="下書きを保存").click()
    expect(page.get_by_text("下書きを保存しました。")).to_be_visible()
    page.get_by_role("link", name="プレビューして確定へ進む").click()
    expect(page.get_by_text("プレビュー（まだ公開されていません）")).to_be_visible()
    assert [f"{v['impact']} {v['id']} at {v['nodes'][:3]}" for v in run_axe(page)] == []
    page.get_by_role("button", name="評価を確定して公開").click()  # the box not ticked
    expect(page.get_by_text("公開する前に、内容を確認してチェックを入れてください。")).to_be_visible()
    page.get_by_label("プレビューの内容で公開することを確認しました").check()
    page.get_by_role("button", name="評価を確定して公開").click()
    expect(page.get_by_text("評価を確定しました。")).to_be_visible()
    expect(page.get_by_text("相談の場が増え、提案も生かされた。")).to_be_visible()
    staff.close()

    public = browser.new_context(**PHONE)
    page = public.new_page()
    page.goto(f"{live_server.url}/dashboard")
    page.get_by_label("年度", exact=True).select_option("2025")
    page.get_by_role("button", name="表示").click()
    page.wait_for_url("**fiscal_year=2025")
    # with a record, charts and rating badges appear: still accessible and phone-wide
    assert [f"{v['impact']} {v['id']} at {v['nodes'][:3]}" for v in run_axe(page)] == []
    assert scroll_width(page) <= 360
    assert page.locator("figure.chart svg").count() == 2
    assert page.locator("figure.chart .visually-hidden table").count() == 2
    card = page.locator(".measure-result", has_text="施策 1-2")
    expect(card).to_contain_text("A 順調")
    expect(card).to_contain_text("提案 1")
    card.get_by_role("link", name="評価を読む").click()
    expect(page.get_by_text("地区ごとに広げる。")).to_be_visible()
    expect(page.get_by_text("子育てサロンを駅前に")).to_be_visible()
    assert [f"{v['impact']} {v['id']} at {v['nodes'][:3]}" for v in run_axe(page)] == []
    public.close()


def test_staff_pages_are_accessible_on_a_phone(live_server, browser):
    with live_server.app.app_context():
        measure_id = measure("1-2").id
    staff = browser.new_context(**PHONE)
    staff.add_cookies([{"name": "session", "value": staff_cookie(live_server),
                        "url": live_server.url}])
    page = staff.new_page()
    for path in ("/staff/evaluation?fiscal_year=2025",
                 f"/staff/measures/{measure_id}/indicators",
                 f"/staff/measures/{measure_id}/evaluations/2025"):
        page.goto(f"{live_server.url}{path}")
        assert [f"{v['impact']} {v['id']} at {v['nodes'][:3]}" for v in run_axe(page)] == [], path
        assert scroll_width(page) <= 360, path
    staff.close()
