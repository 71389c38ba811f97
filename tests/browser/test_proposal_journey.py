"""A proposal's life on phones: sign up, mail, post with a photo, approval, support, comment.

The first journey types everything a new resident types. The staff member and
the second resident are signed in by session cookie (``pages.sign_in``): their
part is the approval and the support, not the sign-in form. The second journey
is the same post → approve → find → support → comment flow with JavaScript off.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import follow, goto
from tests.browser.pages import sign_in
from tests.mailbox import links

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


@pytest.fixture
def photo_file(tmp_path):
    from tests.media import images

    path = tmp_path / "IMG_0420.jpg"
    path.write_bytes(images.phone_jpeg((1200, 900)))
    return path


def shot(page, screenshot_dir, name: str) -> None:
    page.screenshot(path=screenshot_dir / f"journey-{name}.png", full_page=True)


def sign_up_verify_and_sign_in(page, mailbox, email: str, password: str, nickname: str) -> None:
    goto(page, "/signup")
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#nickname", nickname)
    page.check("#accept_terms")
    follow(page, page.get_by_role("button", name="登録する"))
    assert urlsplit(page.url).path == "/signup/check-mail"

    verify = [link for link in links(mailbox.wait_for(email)) if "/verify/" in link]
    assert len(verify) == 1, links(mailbox.wait_for(email))
    goto(page, urlsplit(verify[0]).path)
    assert "メールアドレスを確認しました" in page.locator(".flashes").inner_text()

    # verified; now the way back in on another day: sign out, then the sign-in form
    follow(page, page.get_by_role("button", name="ログアウト"))
    follow(page, page.get_by_role("navigation", name="メインメニュー")
           .get_by_role("link", name="ログイン"))
    page.fill("#email", email)
    page.fill("#password", password)
    follow(page, page.locator("main").get_by_role("button", name="ログイン"))
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def post_proposal(page, photo_file, title: str, body: str) -> int:
    """Fill the new-proposal form, choose the photo in the file chooser, send it."""
    goto(page, "/proposals/new")
    page.fill("#title", title)
    page.fill("#body", body)
    page.locator("input[name=policy_areas]").first.check()
    with page.expect_file_chooser() as chooser:
        page.locator("#photos").click()
    chooser.value.set_files(photo_file)
    follow(page, page.get_by_role("button", name="送信する"))
    assert "市の確認後に公開されます" in page.locator(".flashes").inner_text()
    match = re.fullmatch(r"/proposals/(\d+)", urlsplit(page.url).path)
    assert match, page.url
    # the photo went through the media services: a thumbnail is shown
    assert page.locator(".photo-main img").evaluate("img => img.complete && img.naturalWidth") > 0
    return int(match.group(1))


def approve(open_page, site, proposal_id: int) -> None:
    page = open_page()
    sign_in(page, site, "staff")
    goto(page, f"/proposals/{proposal_id}")
    follow(page, page.get_by_role("button", name="承認して公開する"))
    assert "提案を公開しました" in page.locator(".flashes").inner_text()
    assert page.locator("article.proposal .meta .badge.status-published").count() == 1
    page.watch.assert_clean()


def test_a_new_resident_posts_and_another_supports_it_in_place(
        open_page, site, site_mailbox, photo_file, screenshot_dir):
    author = open_page()
    sign_up_verify_and_sign_in(author, site_mailbox, "hoikuen@example.jp",
                               "asama-yama-2568", "子育て中の親")
    proposal_id = post_proposal(
        author, photo_file, "図書館に授乳室をつくりたい",
        "小さな子を連れて図書館に行くと、\n授乳できる場所がなくて困ります。")
    shot(author, screenshot_dir, "posted")
    author.watch.assert_clean()

    approve(open_page, site, proposal_id)

    resident = open_page()
    sign_in(resident, site, "resident")
    goto(resident, "/proposals")
    resident.evaluate("window.__sameDocument = true")
    resident.evaluate("document.getElementById('result-count').dataset.kept = 'yes'")
    resident.fill("#q", "授乳")  # a two-character word
    resident.press("#q", "Enter")
    resident.wait_for_url("**q=**")
    cards = resident.locator(".proposal-card")
    expect(cards).to_have_count(1)
    assert resident.evaluate("window.__sameDocument") is True  # results swapped in place
    # the count's live region stayed and its text changed: it is announced
    count = resident.locator("#result-count[role=status]")
    expect(count).to_have_text("1件の提案")
    assert count.get_attribute("data-kept") == "yes"
    shot(resident, screenshot_dir, "search")

    follow(resident, cards.get_by_role("link", name="図書館に授乳室をつくりたい"))
    assert urlsplit(resident.url).path == f"/proposals/{proposal_id}"
    resident.evaluate("window.__sameDocument = true")
    assert resident.locator("#support strong").inner_text() == "0"
    resident.get_by_role("button", name="賛同する").click()
    expect(resident.locator("#support strong")).to_have_text("1")
    expect(resident.get_by_role("button", name="賛同を取り消す")).to_be_visible()

    resident.get_by_label("コメント", exact=True).fill("ぜひお願いします。\n毎週行っています。")
    resident.get_by_role("button", name="コメントする").click()
    comment = resident.locator(".comment", has_text="毎週行っています")
    expect(comment).to_have_count(1)
    expect(resident.locator("#comments h2")).to_have_text("コメント（1）")
    assert resident.evaluate("window.__sameDocument") is True  # no reload at any step
    shot(resident, screenshot_dir, "supported")
    resident.watch.assert_clean()


def test_post_and_support_without_javascript(open_page, site, photo_file, screenshot_dir):
    author = open_page(java_script_enabled=False)
    sign_in(author, site, "author")
    proposal_id = post_proposal(
        author, photo_file, "千曲川の河川敷に桜並木をつくりたい",
        "河川敷を散歩する人が増えています。\n桜並木があれば春が楽しみになります。")
    author.watch.assert_clean()

    approve(open_page, site, proposal_id)

    resident = open_page(java_script_enabled=False)
    sign_in(resident, site, "resident")
    goto(resident, "/proposals")
    resident.fill("#q", "桜並")
    follow(resident, resident.get_by_role("button", name="絞り込む"))
    cards = resident.locator(".proposal-card")
    assert cards.count() == 1
    follow(resident, cards.get_by_role("link", name="千曲川の河川敷に桜並木をつくりたい"))

    follow(resident, resident.get_by_role("button", name="賛同する"))
    assert urlsplit(resident.url).path == f"/proposals/{proposal_id}"
    assert resident.locator("#support strong").inner_text() == "1"
    assert "賛同しました" in resident.locator(".flashes").inner_text()

    resident.get_by_label("コメント", exact=True).fill("春に歩きたいです。")
    follow(resident, resident.get_by_role("button", name="コメントする"))
    assert resident.locator(".comment", has_text="春に歩きたいです").count() == 1
    assert resident.locator("#comments h2").inner_text() == "コメント（1）"
    shot(resident, screenshot_dir, "no-js-commented")
    resident.watch.assert_clean()
