"""Staff on a phone route a proposal under review to their department, write an internal
note, and find it in 自分の課; a visitor's page of the proposal shows neither."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department, set_memberships
from komoro_engage.proposals.lifecycle.models import ProposalAnswer
from komoro_engage.proposals.models import ProposalStatus
from tests.browser.helpers import run_axe
from tests.browser.test_staff_journey import session_cookie
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

NOTE = "現地を見てから回答します（内部メモ）"


def test_staff_route_a_proposal_and_note_it(live_server, browser):
    with live_server.app.app_context():
        proposal = make_proposal(status=ProposalStatus.UNDER_REVIEW, title="公民館の窓を直す提案")
        now = datetime.now(UTC)
        db.session.add(ProposalAnswer(proposal_id=proposal.id, review_started_at=now,
                                      deadline_at=now + timedelta(days=30)))
        staff = make_user(role=Role.STAFF, nickname="建設課の職員")
        department = db.session.scalar(select(Department).where(Department.name == "建設課"))
        set_memberships(None, staff, {department.id})
        db.session.commit()
        proposal_id, cookie = proposal.id, session_cookie(live_server.app, staff.get_id())
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP",
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    page = context.new_page()

    page.goto(f"/proposals/{proposal_id}")
    page.get_by_role("link", name="対応（担当課・内部メモ）").click()
    # The click only starts the navigation: axe run before the page loads finds no document.
    page.wait_for_url(f"**/staff/proposals/{proposal_id}/handling")
    assert run_axe(page) == []
    page.get_by_label("担当課", exact=True).select_option(label="建設課")
    page.get_by_label("担当者（任意）").select_option(label="建設課の職員")
    page.get_by_role("button", name="担当課に割り当てる").click()
    expect(page.locator("#current-assignment")).to_contain_text("建設課")
    page.get_by_label("内部メモ（職員にだけ表示されます）").fill(NOTE)
    page.get_by_role("button", name="メモを追加する").click()
    expect(page.locator("#note-list")).to_contain_text(NOTE)
    assert run_axe(page) == []

    page.goto("/staff?queue=mine")
    expect(page.locator(f"#item-proposal-{proposal_id}")).to_contain_text("建設課")
    expect(page.locator("#queue-count")).to_have_text("1")

    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto(f"/proposals/{proposal_id}")
    expect(visitor.locator("main")).not_to_contain_text(NOTE)
    expect(visitor.locator("main")).not_to_contain_text("建設課")
