"""Notifications in a real browser: the bell, reading in place, the mail, unsubscribing.

A proposal is approved; its author sees the bell's count, reads the list (axe
finds nothing), marks everything read without a page load; the send-mail loop beside
the server has sent the mail to the test SMTP server, and its unsubscribe link works
signed out.
"""

from __future__ import annotations

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.proposals.services import approve_proposal
from tests.browser.helpers import PHONE, PageWatch, goto, run_axe
from tests.factories import make_user
from tests.mailbox import links
from tests.proposals.helpers import make_proposal

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def new_page(browser, server, cookie: str | None = None):
    context = browser.new_context(**{**PHONE, "base_url": server.url})
    context.set_default_timeout(10_000)
    if cookie:
        context.add_cookies([{"name": "session", "value": cookie, "url": server.url}])
    page = context.new_page()
    page.watch = PageWatch(page, server.url)
    return context, page


def test_bell_list_mail_and_unsubscribe(mail_site, mailbox, browser):
    app = mail_site.app
    with app.app_context():
        author = make_user(nickname="ベルの持ち主")
        proposal = make_proposal(author, ProposalStatus.PENDING, title="駅前に屋根付き駐輪場を")
        approve_proposal(make_user(role=Role.STAFF), proposal)
        db.session.commit()
        address, proposal_id = author.email, proposal.id
        with app.test_request_context():
            cookie = app.session_interface.get_signing_serializer(app).dumps(
                {"_user_id": author.get_id(), "_fresh": True})
    context, page = new_page(browser, mail_site, cookie)
    goto(page, "/")
    expect(page.locator("#notification-bell .bell-count")).to_have_text("1件の未読")

    page.locator("#notification-bell").click()
    page.wait_for_url("**/notifications")
    listed = page.locator("#notifications").inner_text()
    assert "「駅前に屋根付き駐輪場を」が公開されました" in listed
    assert run_axe(page) == []
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="すべて既読にする").click()
    expect(page.locator(".notification-unread")).to_have_count(0)
    expect(page.locator("#notification-bell .bell-count")).to_have_count(0)  # out of band
    assert page.evaluate("window.__sameDocument") is True
    page.get_by_role("link", name="提案が公開されました").click()
    page.wait_for_url(f"**/proposals/{proposal_id}")

    goto(page, "/account/notifications")
    assert run_axe(page) == []
    page.watch.assert_clean()
    context.close()

    unsubscribe = [url for url in links(mailbox.wait_for(address)) if "/unsubscribe/" in url]
    context, page = new_page(browser, mail_site)  # signed out, as from a mail app
    goto(page, unsubscribe[0].removeprefix(mail_site.url))
    page.get_by_role("button", name="配信を停止する").click()
    expect(page.get_by_role("status")).to_contain_text("メールを停止しました")
    page.watch.assert_clean()
    context.close()
