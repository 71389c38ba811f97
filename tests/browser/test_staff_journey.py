"""Staff on a phone: approve from the console (htmx, in place), link the proposal to a
measure, publish the city's answer; a resident then sees both on the public page."""

from __future__ import annotations

import re

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.proposals.models import ProposalStatus
from tests.browser.helpers import run_axe
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def session_cookie(app, user_id: str) -> str:
    with app.test_request_context():
        return app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user_id, "_fresh": True})


def test_staff_approve_link_and_answer(live_server, browser):
    with live_server.app.app_context():
        proposal_id = make_proposal(status=ProposalStatus.PENDING,
                                    title="駅前に屋根付きの駐輪場を").id
        staff_id = make_user(role=Role.STAFF, nickname="こもろ職員").get_id()
        db.session.commit()
        cookie = session_cookie(live_server.app, staff_id)
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP",
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    page = context.new_page()

    page.goto("/staff")
    assert run_axe(page) == []
    page.evaluate("window.__sameDocument = true")
    item = page.locator(f"#item-proposal-{proposal_id}")
    expect(item).to_contain_text("駅前に屋根付きの駐輪場を")
    item.get_by_role("button", name="承認して公開").click()
    expect(page.locator(f"#item-proposal-{proposal_id}")).to_contain_text(
        "「駅前に屋根付きの駐輪場を」を承認して公開しました。")
    assert page.evaluate("window.__sameDocument") is True  # swapped in place by htmx
    expect(page.locator("#queue-tabs")).to_contain_text(re.compile(r"審査待ち\s*0"))
    expect(page.locator("#queue-count")).to_have_text("0")  # the heading agrees with its tab

    page.goto(f"/proposals/{proposal_id}")
    page.get_by_role("link", name="施策への紐付け").click()
    page.get_by_label("施策").select_option(label=page.locator("#measure option").nth(1)
                                          .inner_text())
    page.get_by_label("紐付けの理由（公開されます）").fill("通学の足を守る施策に合うため")
    page.get_by_role("button", name="紐付ける").click()
    page.wait_for_url(f"**/proposals/{proposal_id}*")
    page.get_by_role("link", name="市の回答を書く").click()
    page.wait_for_url(f"**/staff/proposals/{proposal_id}/answer")  # loaded before axe runs
    assert run_axe(page) == []
    page.get_by_label("採用").check()
    page.get_by_label("回答", exact=True).fill("来年度、駅北口に屋根付き駐輪場を設置します。")
    page.get_by_label("担当課").fill("都市計画課")
    page.get_by_role("button", name="下書きを保存してプレビュー").click()
    page.wait_for_url(f"**/staff/proposals/{proposal_id}/answer/preview")
    expect(page.locator(".official-answer")).to_contain_text("都市計画課")
    assert run_axe(page) == []
    page.get_by_role("button", name="回答を公開する").click()  # the box not ticked: refused
    expect(page.locator("#confirm-error")).to_be_visible()
    page.get_by_label("プレビューの内容で公開することを確認しました").check()
    page.get_by_role("button", name="回答を公開する").click()
    page.wait_for_url(f"**/proposals/{proposal_id}*")
    context.close()

    public = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP",
                                 base_url=live_server.url).new_page()
    public.goto(f"/proposals/{proposal_id}")
    record = public.locator("#city-record")
    assert run_axe(public) == []
    expect(record).to_contain_text("市の回答")
    expect(record).to_contain_text("来年度、駅北口に屋根付き駐輪場を設置します。")
    expect(record).to_contain_text("都市計画課")
    expect(record).to_contain_text("通学の足を守る施策に合うため")
    expect(public.locator(".official-answer .badge")).to_have_text("採用")
    public.locator("#city-record .measure-links a").first.click()
    expect(public.locator("body")).to_contain_text("駅前に屋根付きの駐輪場を")
    public.context.close()


def test_staff_pages_use_a_pc_screen_and_keep_the_menu_on_one_line(live_server, browser):
    """At 1366 px (a city office PC) the console is not a 960 px column, and the menu of
    a staff member (every link they have) sits on one line."""
    with live_server.app.app_context():
        staff_id = make_user(role=Role.STAFF, nickname="こもろ職員").get_id()
        db.session.commit()
        cookie = session_cookie(live_server.app, staff_id)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ja-JP",
                                  base_url=live_server.url)
    context.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    page = context.new_page()
    for path in ("/staff", "/staff/evaluation"):
        page.goto(path)
        assert page.locator("main").bounding_box()["width"] >= 1200, path
        tops = {round(box["y"]) for box in (
            item.bounding_box() for item in page.locator(".site-nav li").all())}
        assert len(tops) == 1, f"{path}: the menu wraps onto {len(tops)} lines"
    page.goto("/proposals")  # residents' pages keep their reading width
    assert page.locator("main").bounding_box()["width"] <= 980
    context.close()
