"""A 協働 project from start to report, on a phone: staff turn an adopted proposal into a
project, a resident joins and RSVPs to an activity day (htmx, in place), and an
organiser (the proposing group's manager) files a progress report."""

from __future__ import annotations

import re

import pytest

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.proposals.models import ProposalStatus
from tests.browser.helpers import (
    MIN_TARGET_PX,
    PHONE_WIDTH,
    PageWatch,
    follow,
    run_axe,
    scroll_width,
    touch_targets,
)
from tests.factories import make_organisation, make_user
from tests.proposals.helpers import make_proposal

# As tests/browser/conftest.py's phone (importing the conftest module would run it twice).
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "ja-JP",
         "timezone_id": "Asia/Tokyo", "is_mobile": True, "has_touch": True}
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def _signed_in_page(browser, server, user_id: str):
    app = server.app
    with app.test_request_context():
        cookie = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user_id, "_fresh": True})
    context = browser.new_context(**{**PHONE, "base_url": server.url})
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "session", "value": cookie, "url": server.url}])
    page = context.new_page()
    page.watch = PageWatch(page, server.url)
    return page


def _fits_a_phone(page) -> None:
    """No sideways scrolling at 360 px; links and buttons are at least 44 px tall and wide
    (radio buttons and checkboxes count by their 44 px labels, site.css .choices)."""
    assert scroll_width(page) <= PHONE_WIDTH
    too_small = [f"{t['label']} {t['width']}×{t['height']}" for t in touch_targets(page)
                 if not t["inlineInText"] and t["label"] not in RADIO_VALUES
                 and (t["width"] < MIN_TARGET_PX or t["height"] < MIN_TARGET_PX)]
    assert too_small == [], "\n".join(too_small)


# touch_targets labels an input by its value: the comment form's stance radios.
RADIO_VALUES = {"INPUT", "for", "against", "question", "participant", "volunteer"}


def test_adopted_proposal_to_project_join_rsvp_and_report(live_server, browser):
    with live_server.app.app_context():
        staff = make_user(Role.STAFF, nickname="協働課の職員")
        manager = make_user(nickname="ひまわり会の代表")
        group = make_organisation(manager, name="与良町ひまわり会")
        proposal = make_proposal(manager, ProposalStatus.ADOPTED,
                                 title="空き地をみんなの花畑にする", organisation_id=group.id)
        resident = make_user(nickname="花が好きな住民")
        ids = {"staff": staff.get_id(), "manager": manager.get_id(),
               "resident": resident.get_id(), "proposal": proposal.id}
        db.session.commit()

    # Staff: the adopted proposal becomes a project, led by the proposing group.
    page = _signed_in_page(browser, live_server, ids["staff"])
    page.goto(f"/proposals/{ids['proposal']}")
    follow(page, page.get_by_role("link", name="協働プロジェクトにする"))
    expect(page.get_by_label("タイトル")).to_have_value("空き地をみんなの花畑にする")
    page.get_by_label("概要").fill("月に一度、空き地に花を植えます")
    page.get_by_label("定員（任意）").fill("10")
    follow(page, page.get_by_role("button", name="保存する"))
    assert "準備中" in page.locator("article .badge[class*=status-]").inner_text()
    project_url = page.url
    follow(page, page.get_by_role("button", name="参加者の募集を始める"))
    assert "参加者募集中" in page.locator("article .badge[class*=status-]").inner_text()
    page.get_by_role("link", name="活動日を追加").click()
    page.get_by_label("日付").fill("2026-12-05")
    page.get_by_label("開始時刻").fill("09:00")
    page.get_by_label("終了時刻").fill("11:30")
    page.get_by_label("場所").fill("与良町の空き地")
    follow(page, page.get_by_role("button", name="追加する"))
    assert "与良町の空き地" in page.locator("#days").inner_text()
    assert "12月5日（土）09:00" in page.locator("#days").inner_text()  # Japan time
    page.watch.assert_clean()
    page.context.close()

    # A resident joins with a message, then RSVPs in place.
    page = _signed_in_page(browser, live_server, ids["resident"])
    page.goto(project_url)
    assert page.get_by_text("与良町ひまわり会").count() >= 1
    page.get_by_role("link", name="参加を申し込む").click()
    page.get_by_label("ボランティアとして").check()
    page.get_by_label("主催者へのひとこと（任意）").fill("軍手を持っていきます")
    follow(page, page.get_by_role("button", name="申し込む"))
    assert "ボランティアとして参加しています" in page.locator("#join").inner_text()
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="この日に参加する").click()
    expect(page.get_by_role("button", name="参加をやめる")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True
    assert "参加予定 1人" in page.locator("#days").inner_text()
    violations = run_axe(page)
    assert not violations, violations
    _fits_a_phone(page)
    page.watch.assert_clean()
    page.context.close()

    # The group's manager files a report with attendance and volunteer hours.
    page = _signed_in_page(browser, live_server, ids["manager"])
    page.goto(project_url)
    follow(page, page.get_by_role("button", name="実施中にする"))
    page.get_by_role("link", name="活動報告を書く").click()
    page.get_by_label("報告", exact=True).fill("8人でチューリップの球根を植えました")
    page.get_by_label("参加者数（任意）").fill("8")
    page.get_by_label("ボランティア時間（合計、任意）").fill("16")
    follow(page, page.get_by_role("button", name="掲載する"))
    reports = page.locator("#reports").inner_text()
    assert "8人でチューリップの球根を植えました" in reports
    assert re.search(r"ボランティア 16時間", reports)
    _fits_a_phone(page)  # with the organisers' menu
    page.watch.assert_clean()
    page.context.close()
