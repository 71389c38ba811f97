"""htmx in a real browser: filters, support and comments update in place; no reloads."""

from __future__ import annotations

import time

import pytest

from komoro_engage.extensions import db
from tests.browser.world import session_cookie
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def test_filters_support_and_comments_work_in_place(site, browser):
    # the shared site has other proposals: a word only these two share narrows the list
    with site.app.app_context():
        make_proposal(title="公園に水飲み場をつくる（絞込確認）", areas=(1,))
        target = make_proposal(title="図書館の開館時間を延ばしたい（絞込確認）", areas=(2,)).id
        user = make_user(nickname="ブラウザ確認")
        db.session.commit()
        cookie = session_cookie(site.app, user)
        db.session.remove()
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP")
    context.add_cookies([{"name": "session", "value": cookie, "url": site.url}])
    page = context.new_page()
    page.goto(f"{site.url}/proposals?q=絞込確認")
    page.evaluate("window.__sameDocument = true")
    assert page.locator(".proposal-card").count() == 2

    page.locator("details.filters-toggle > summary").click()  # the menus wait behind it
    page.select_option("#area", label=page.locator("#area option").nth(2).inner_text())
    page.wait_for_url("**area=**")
    # Locator assertions poll without eval (the page's CSP forbids it).
    expect(page.locator(".proposal-card")).to_have_count(1)
    assert "図書館" in page.locator("#results").inner_text()
    assert page.evaluate("window.__sameDocument") is True  # updated in place
    page.go_back()
    expect(page.locator(".proposal-card")).to_have_count(2)

    page.goto(f"{site.url}/proposals/{target}")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="賛同する").click()
    page.wait_for_selector("text=賛同を取り消す")
    assert page.locator("#support strong").inner_text() == "1"
    page.get_by_label("コメント", exact=True).fill("開館時間が延びると\n助かります")
    page.get_by_role("button", name="コメントする").click()
    page.wait_for_selector("text=ブラウザ確認")
    assert page.evaluate("window.__sameDocument") is True
    assert "コメント（1）" in page.locator("#comments h2").inner_text()
    assert page.locator(".comment-body br").count() == 1
    context.close()


def test_a_proposal_with_four_photos_stays_within_six_requests(site, browser):
    from komoro_engage.media.services import store_photo
    from komoro_engage.proposals.models import ProposalPhoto
    from tests.media import images

    with site.app.test_request_context():
        proposal = make_proposal(title="写真が4枚ある提案です")
        for position in range(4):
            photo = store_photo(images.upload(images.phone_jpeg((800, 600), orientation=1)),
                                None)
            db.session.add(ProposalPhoto(proposal_id=proposal.id, photo_id=photo.id,
                                         position=position))
        proposal_id = proposal.id
        db.session.commit()
    page = browser.new_page(viewport={"width": 360, "height": 800}, locale="ja-JP")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site.url}/proposals/{proposal_id}", wait_until="networkidle")
    assert len(requested) <= 6, requested
    assert sum("/media/" in url for url in requested) == 1
    page.get_by_text("ほかの写真を見る（3枚）").click()
    # Lazy images start loading once shown; poll until decoded (bounded) rather than
    # trusting networkidle, which can fire before the decode on a busy machine.
    deadline = time.monotonic() + 10
    while True:
        loaded = page.locator(".more-photos img").evaluate_all(
            "images => images.map(image => image.complete && image.naturalWidth > 0)")
        if loaded == [True, True, True] or time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    assert loaded == [True, True, True]
    assert sum("/media/" in url for url in requested) == 4
    page.close()
