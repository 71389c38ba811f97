"""Voting in a 市民予算 on a 360 px phone: without JavaScript (plain checkboxes, the total
from the server on 「合計を確認する」, field errors that keep the choices), then with
JavaScript the total follows each tick."""

from __future__ import annotations

import pytest

from komoro_engage.extensions import db
from tests.browser.helpers import PageWatch, run_axe, scroll_width
from tests.budgeting.helpers import make_process
from tests.factories import make_user

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "ja-JP",
         "timezone_id": "Asia/Tokyo", "is_mobile": True, "has_touch": True}
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def _page(browser, server, user_id: str, javascript: bool):
    app = server.app
    with app.test_request_context():
        cookie = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user_id, "_fresh": True})
    context = browser.new_context(**{**PHONE, "base_url": server.url,
                                     "java_script_enabled": javascript})
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "session", "value": cookie, "url": server.url}])
    page = context.new_page()
    page.watch = PageWatch(page, server.url)
    return page


def test_vote_on_a_phone_without_and_with_javascript(live_server, browser):
    with live_server.app.app_context():
        process = make_process(max_approvals=2, projects=(1_200_000, 800_000, 500_000))
        title, process_id = process.title, process.id
        voter, other = make_user().get_id(), make_user().get_id()
        db.session.commit()
    page = _page(browser, live_server, voter, javascript=False)
    vote_url = f"{live_server.url}/budgets/{process_id}/vote"
    page.watch.expected_failures.add(vote_url)  # the ballot with its errors answers 422
    page.goto("/budgets")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="投票する").click()
    page.get_by_label("事業1").check()
    page.get_by_label("事業2").check()
    page.get_by_role("button", name="合計を確認する").click()
    expect(page.locator("#budget-total")).to_contain_text("2,000,000円")
    expect(page.get_by_label("事業1")).to_be_checked()
    page.get_by_label("事業3").check()
    page.get_by_role("button", name="この内容で投票する").click()
    expect(page.get_by_role("alert")).to_contain_text("2件まで")
    expect(page.get_by_label("事業3")).to_be_checked()
    page.get_by_label("事業1").uncheck()
    page.get_by_role("button", name="この内容で投票する").click()
    expect(page.get_by_text("投票を受け付けました")).to_be_visible()
    expect(page.get_by_text("投票済みです")).to_be_visible()
    page.watch.assert_clean()

    live = _page(browser, live_server, other, javascript=True)
    live.watch.expected_failures.add(vote_url)
    live.goto(f"/budgets/{process_id}/vote")
    live.get_by_label("事業2").check()
    live.get_by_label("事業3").check()
    expect(live.locator("#budget-total")).to_contain_text("1,300,000円")
    live.get_by_label("事業3").uncheck()
    expect(live.locator("#budget-total")).to_contain_text("800,000円")
    # The page with a field error, checked where scripts run (a page without JavaScript
    # cannot evaluate axe): three ticks where two are allowed.
    for name in ("事業1", "事業3"):
        live.get_by_label(name).check()
    live.get_by_role("button", name="この内容で投票する").click()
    expect(live.get_by_role("alert")).to_contain_text("2件まで")
    assert scroll_width(live) <= 360
    assert [v["id"] for v in run_axe(live)] == []
    live.watch.assert_clean()
