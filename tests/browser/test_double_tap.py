"""A tap means what it says (issue 20): a thumb's double tap on a toggle does it once.

The second tap lands where the first one did, 50 ms or 150 ms later, after htmx may
already have swapped the opposite button in. Both taps are real mouse clicks at the
same point of the screen, as a finger's would be.
"""

from __future__ import annotations

import time as clock
from datetime import date, time

import pytest

from komoro_engage.extensions import db
from tests.browser.world import session_cookie
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def _phone_as(browser, site, user):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP",
                                  has_touch=True)
    context.add_cookies([{"name": "session", "value": session_cookie(site.app, user),
                          "url": site.url}])
    return context, context.new_page()


def _double_tap(page, locator, gap_ms: int) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    clock.sleep(gap_ms / 1000)
    page.mouse.click(x, y)


@pytest.mark.parametrize("gap_ms", [50, 150])
def test_a_double_tap_on_support_supports_once(site, browser, gap_ms):
    from komoro_engage.proposals.models import Support

    with site.app.app_context():
        proposal = make_proposal(title=f"二度押しでも一度だけ賛同（{gap_ms}ms）")
        user = make_user()
        db.session.commit()
        proposal_id, user_id = proposal.id, user.id
        context, page = _phone_as(browser, site, user)
        db.session.remove()
    page.goto(f"{site.url}/proposals/{proposal_id}")

    _double_tap(page, page.get_by_role("button", name="賛同する"), gap_ms)

    expect(page.locator("#support")).to_contain_text("賛同しました。")
    expect(page.get_by_role("button", name="賛同を取り消す")).to_be_visible()
    clock.sleep(0.5)  # a wrongly landed second tap would have been sent by now
    expect(page.locator("#support strong")).to_have_text("1")
    page.reload()
    expect(page.locator("#support strong")).to_have_text("1")
    with site.app.app_context():
        assert db.session.query(Support).filter_by(
            proposal_id=proposal_id, user_id=user_id).count() == 1
        db.session.remove()

    # and back: a double tap on 賛同を取り消す withdraws once, without supporting again
    _double_tap(page, page.get_by_role("button", name="賛同を取り消す"), gap_ms)
    expect(page.locator("#support")).to_contain_text("賛同を取り消しました。")
    clock.sleep(0.5)
    page.reload()
    expect(page.locator("#support strong")).to_have_text("0")
    expect(page.get_by_role("button", name="賛同する")).to_be_visible()
    context.close()


@pytest.mark.parametrize("gap_ms", [50, 150])
def test_a_double_tap_on_an_activity_day_signs_up_once(site, browser, gap_ms):
    from komoro_engage.projects.activities import DayData, save_activity_day
    from komoro_engage.projects.membership import join_project
    from komoro_engage.projects.models import Rsvp
    from tests.projects.helpers import make_project

    with site.app.app_context():
        project = make_project(title=f"二度押しの活動日（{gap_ms}ms）")
        user = make_user()
        join_project(user, project)
        day = save_activity_day(db.session.get(type(user), project.lead_user_id), project,
                                DayData(day=date(2027, 6, 5), start=time(9), end=time(12),
                                        place="公民館"))
        db.session.commit()
        project_id, day_id, user_id = project.id, day.id, user.id
        context, page = _phone_as(browser, site, user)
        db.session.remove()
    page.goto(f"{site.url}/projects/{project_id}")

    _double_tap(page, page.get_by_role("button", name="この日に参加する"), gap_ms)

    days = page.locator(f"#rsvp-{day_id}")
    expect(days).to_contain_text("この日の参加を申し込みました。")
    clock.sleep(0.5)
    page.reload()
    expect(page.get_by_role("button", name="参加をやめる")).to_be_visible()
    expect(days).to_contain_text("参加予定 1人")
    with site.app.app_context():
        rsvps = db.session.query(Rsvp).filter_by(activity_day_id=day_id, user_id=user_id)
        assert rsvps.count() == 1
        db.session.remove()
    context.close()
