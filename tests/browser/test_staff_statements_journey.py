"""Staff on a phone check consultation statements from the console (issue 17): the
tab from the console's first page, approve a pending statement in place, keep a
reported one; axe-clean and no sideways scrolling at 360 px."""

from __future__ import annotations

import re

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.consultations.models import Statement, StatementStatus
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import report_item
from tests.browser.helpers import run_axe, scroll_width
from tests.browser.test_staff_journey import session_cookie
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def test_staff_approve_and_keep_statements_from_the_console(live_server, browser):
    with live_server.app.app_context():
        consultation = make_consultation(title="駅前広場のこれから")
        pending = make_statement(consultation, "木陰のベンチを増やしてほしい",
                                 author=make_user(), status=StatementStatus.PENDING,
                                 published_at=None).id
        reported = make_statement(consultation, "噴水を残してほしい", author=make_user())
        report_item(make_user(), reported, "spam")
        reported = reported.id
        staff_id = make_user(role=Role.STAFF).get_id()
        db.session.commit()
        cookie = session_cookie(live_server.app, staff_id)
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP",
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    page = context.new_page()

    page.goto("/staff")
    page.locator("#queue-tabs").get_by_role("link", name=re.compile("広聴の意見の確認待ち")).click()
    page.wait_for_url("**/staff?queue=statements")
    assert run_axe(page) == [] and scroll_width(page) <= 360
    page.evaluate("window.__sameDocument = true")
    item = page.locator(f"#item-statement-{pending}")
    expect(item).to_contain_text("木陰のベンチを増やしてほしい")
    item.get_by_role("button", name="承認して公開").click()
    expect(page.locator(f"#item-statement-{pending}")).to_contain_text(
        "「木陰のベンチを増やしてほしい」を承認して公開しました。")
    assert page.evaluate("window.__sameDocument") is True  # swapped in place by htmx
    expect(page.locator("#queue-tabs")).to_contain_text(re.compile(r"確認待ち\s*0"))

    page.goto("/staff?queue=reports")
    assert run_axe(page) == [] and scroll_width(page) <= 360
    item = page.locator(f"#item-statement-{reported}")
    expect(item).to_contain_text("噴水を残してほしい")
    item.get_by_role("button", name="通報を却下する").click()
    expect(page.locator(f"#item-statement-{reported}")).to_contain_text(
        "「噴水を残してほしい」への通報を却下しました。")
    context.close()
    with live_server.app.app_context():
        assert db.session.get(Statement, pending).status == StatementStatus.PUBLISHED
        assert db.session.get(Statement, reported).status == StatementStatus.PUBLISHED
