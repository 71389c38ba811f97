"""主催者からのお知らせ in a real browser without JavaScript: write, check (how many people),
correct, check again, and a double tap on 送信する that sends once."""

from __future__ import annotations

import time as clock

import pytest
from sqlalchemy import func, select

from komoro_engage.extensions import db
from tests.browser.world import session_cookie
from tests.factories import make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def test_an_organiser_writes_checks_corrects_and_sends_once_without_javascript(site, browser):
    from komoro_engage.core.outbox import OutboxMail
    from komoro_engage.projects.membership import join_project
    from komoro_engage.projects.message_models import ProjectMessage
    from tests.projects.helpers import make_project

    with site.app.app_context():
        lead, member = make_user(), make_user()
        project = make_project(lead, title="お知らせを送るプロジェクト")
        join_project(member, project)
        db.session.commit()
        project_id, member_id = project.id, member.id
        cookie = session_cookie(site.app, lead)
        db.session.remove()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP",
                                  java_script_enabled=False)
    context.add_cookies([{"name": "session", "value": cookie, "url": site.url}])
    page = context.new_page()
    page.goto(f"{site.url}/projects/{project_id}")
    page.get_by_role("link", name="お知らせを送る").click()
    page.get_by_label("件名").fill("集合場所の変更")
    page.get_by_label("本文").fill("集合は駅前です。")
    page.get_by_role("button", name="確認する").click()
    expect(page.locator("#recipient-count")).to_contain_text("1人に送ります")
    page.get_by_role("button", name="修正する").click()
    expect(page.get_by_label("件名")).to_have_value("集合場所の変更")
    page.get_by_label("本文").fill("集合は駅前です。\n軍手をお持ちください。")
    page.get_by_role("button", name="確認する").click()
    expect(page.locator(".message-preview")).to_contain_text("軍手をお持ちください。")
    # A double tap: the first tap's post reaches the server while the page still shows
    # the button, and the second tap posts the same form again. (Two clicks 50 ms apart
    # raced the server: a fast answer put the message page under the second click.)
    form = page.locator("form", has=page.get_by_role("button", name="送信する"))
    fields = {field.get_attribute("name"): field.get_attribute("value")
              for field in form.locator("input[type=hidden]").all()}
    first = page.request.post(f"{site.url}/projects/{project_id}/messages/new",
                              form={**fields, "step": "send"}, max_redirects=0)
    assert first.status == 302
    page.get_by_role("button", name="送信する").click()
    expect(page.locator(".project-message")).to_contain_text("軍手をお持ちください。")
    expect(page.get_by_text("このお知らせは送信済みです。")).to_be_visible()
    clock.sleep(0.5)
    with site.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProjectMessage).where(
            ProjectMessage.project_id == project_id)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMail).where(
            OutboxMail.user_id == member_id)) == 1
        db.session.remove()
    context.close()
