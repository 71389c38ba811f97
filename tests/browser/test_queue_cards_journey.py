"""Deciding from the queue on a phone (issue 23, point 2): the pending card's facts, a hide
named and taken back (htmx), a bulk hide left half-done keeping its ticks, and 回答待ち's
bulk link to a measure with JavaScript off; axe and 360 px on each state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.models import ProposalAnswer, ProposalMeasureLink
from komoro_engage.proposals.models import Proposal, ProposalStatus
from tests.browser.helpers import run_axe, scroll_width
from tests.browser.test_staff_journey import session_cookie
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def _context(browser, live_server, cookie, javascript=True):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP",
                                  base_url=live_server.url, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    return context


def test_hide_named_and_taken_back_with_htmx(live_server, browser):
    with live_server.app.app_context():
        proposal_id = make_proposal(status=ProposalStatus.PENDING, title="広告ばかりの提案",
                                    body="一行目の本文です。\n二行目の本文です。").id
        cookie = session_cookie(live_server.app,
                                make_user(role=Role.STAFF, nickname="審査係").get_id())
        db.session.commit()
    context = _context(browser, live_server, cookie)
    page = context.new_page()
    page.goto("/staff")
    item = page.locator(f"#item-proposal-{proposal_id}")
    expect(item).to_contain_text("一行目の本文です。")
    expect(item).to_contain_text("写真 0枚")
    assert run_axe(page) == [] and scroll_width(page) <= 360
    item.get_by_label("理由（差し戻し・非表示・再表示のとき。非表示の理由は公開されます）").fill(
        "宣伝のため")
    item.get_by_role("button", name="非表示にする").click()
    expect(item).to_contain_text("「広告ばかりの提案」を非表示にしました。")
    expect(page.locator("#queue-count")).to_have_text("0")
    assert run_axe(page) == []
    # Keyboard: the undo button takes focus and Enter sends it.
    undo = item.get_by_role("button", name="元に戻す")
    undo.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("「広告ばかりの提案」を元に戻しました。")
    expect(page.locator(f"#item-proposal-{proposal_id}")).to_contain_text("広告ばかりの提案")
    context.close()
    with live_server.app.app_context():
        assert db.session.get(Proposal, proposal_id).status == ProposalStatus.PENDING


def test_bulk_link_and_a_left_item_without_javascript(live_server, browser):
    now = datetime.now(UTC)
    with live_server.app.app_context():
        ids = []
        for title, days in (("期限を過ぎた提案", -2), ("まだ間に合う提案", 10)):
            proposal = make_proposal(status=ProposalStatus.UNDER_REVIEW, title=title)
            db.session.add(ProposalAnswer(proposal_id=proposal.id, review_started_at=now,
                                          deadline_at=now + timedelta(days=days)))
            ids.append(proposal.id)
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        measure_label = f"{measure.code} {measure.title}"
        cookie = session_cookie(live_server.app,
                                make_user(role=Role.STAFF, nickname="紐付け係").get_id())
        db.session.commit()
    checked = _context(browser, live_server, cookie).new_page()  # axe needs JavaScript
    checked.goto("/staff?queue=threshold")
    expect(checked.locator(f"#item-proposal-{ids[0]}")).to_contain_text("期限切れ（2日超過）")
    assert run_axe(checked) == [] and scroll_width(checked) <= 360
    checked.context.close()
    context = _context(browser, live_server, cookie, javascript=False)
    page = context.new_page()
    page.goto("/staff?queue=threshold")
    form = page.locator("#bulk-link")
    for ident in ids:
        page.locator(f"#pick-proposal-{ident}").check()
    form.get_by_role("button", name="チェックした提案を紐付ける").click()  # no reason yet
    expect(form).to_contain_text("紐付けの理由を入力してください。")
    expect(page.locator(f"#pick-proposal-{ids[1]}")).to_be_checked()
    form.get_by_label("施策").select_option(label=measure_label)
    form.get_by_label("紐付けの理由（公開されます）").fill("子育て支援の施策に合うため")
    form.get_by_role("button", name="チェックした提案を紐付ける").click()
    expect(page.locator(".flashes")).to_contain_text("「期限を過ぎた提案」、「まだ間に合う提案」")
    context.close()
    with live_server.app.app_context():
        linked = db.session.scalars(select(ProposalMeasureLink.proposal_id).where(
            ProposalMeasureLink.proposal_id.in_(ids))).all()
        assert sorted(linked) == sorted(ids)
