"""Following in a real browser: the button swaps in place and keeps the focus; フォロー中
lists the item and stops following it (issue 22.2)."""

from __future__ import annotations

import pytest

from komoro_engage.extensions import db
from tests.browser.helpers import PHONE, PageWatch, goto, run_axe
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def test_follow_in_place_then_stop_from_the_following_page(mail_site, browser):
    app = mail_site.app
    with app.app_context():
        reader = make_user(nickname="フォローする人")
        proposal_id = make_proposal(title="城址公園にベンチを").id
        db.session.commit()
        with app.test_request_context():
            cookie = app.session_interface.get_signing_serializer(app).dumps(
                {"_user_id": reader.get_id(), "_fresh": True})
    context = browser.new_context(**{**PHONE, "base_url": mail_site.url})
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "session", "value": cookie, "url": mail_site.url}])
    page = context.new_page()
    page.watch = PageWatch(page, mail_site.url)

    goto(page, f"/proposals/{proposal_id}")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="フォローする").click()
    following = page.get_by_role("button", name="フォロー中（解除する）")
    expect(following).to_be_focused()  # swapped in place, the focus kept
    assert page.evaluate("window.__sameDocument") is True
    box = following.bounding_box()
    assert box["height"] >= 44

    goto(page, "/account/following")
    assert "城址公園にベンチを" in page.locator("main").inner_text()
    assert run_axe(page) == []
    page.get_by_role("button", name="フォロー中（解除する）").click()
    expect(page.get_by_role("button", name="フォローする")).to_be_visible()
    goto(page, "/account/following")
    assert "城址公園にベンチを" not in page.locator("main").inner_text()
    context.close()
