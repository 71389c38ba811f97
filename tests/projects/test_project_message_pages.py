"""主催者からのお知らせ over HTTP: write → check (no JavaScript) → send, errors beside the
fields, one send per form, and who may read the archive."""

import re

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import User
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications.models import Notification
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.message_models import ProjectMessage
from komoro_engage.projects.messages import DAILY_LIMIT, MessageData, send_message
from komoro_engage.projects.models import Project
from komoro_engage.projects.services import add_partner
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project


@pytest.fixture
def world(app):
    with app.app_context():
        lead, member, waiting, outsider = make_user(), make_user(), make_user(), make_user()
        project = make_project(lead, capacity=1)
        join_project(member, project)
        join_project(waiting, project)
        other = make_project(make_user())
        join_project(outsider, other)
        elsewhere, _sent = send_message(other.lead_user, other, MessageData(
            ["members"], "別のプロジェクトのお知らせ", "ほかの人は読めません。", "x" * 20))
        ids = {"lead": lead, "member": member, "waiting": waiting, "outsider": outsider,
               "project": project.id, "other": other.id, "elsewhere": elsewhere.id,
               **{f"{name}_id": user.id for name, user in (
                   ("lead", lead), ("member", member), ("waiting", waiting))}}
        db.session.commit()
    return ids


def _key(page: str) -> str:
    return re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_write_check_and_send_without_javascript(app, login, world):
    lead = login(world["lead"])
    url = f"/projects/{world['project']}/messages/new"
    form = lead.get(url)
    assert form.status_code == 200 and "no-store" in form.headers["Cache-Control"]
    data = {"key": _key(form.text), "audiences": ["members", "waiting"],
            "subject": "集合場所の変更",
            "body": "集合は駅前に変わりました。\n遅れないでください。", "step": "check"}
    check = lead.post(url, data=data)
    assert check.status_code == 200
    assert "2人に送ります" in check.text and "集合は駅前に変わりました。" in check.text
    assert 'value="send"' in check.text and 'value="edit"' in check.text
    english = lead.post(url, data=data, headers={"Accept-Language": "en"})
    assert "This will be sent to 2 people" in english.text
    with app.app_context():
        assert _count(ProjectMessage, ProjectMessage.project_id == world["project"]) == 0
    edit = lead.post(url, data={**data, "step": "edit"})  # 修正する: the form, as typed
    assert edit.status_code == 200 and "集合場所の変更" in edit.text and "<textarea" in edit.text
    sent = lead.post(url, data={**data, "step": "send"})
    assert sent.status_code == 302
    again = lead.post(url, data={**data, "step": "send"})  # a double tap
    assert again.status_code == 302 and again.location == sent.location
    with app.app_context():
        assert _count(ProjectMessage, ProjectMessage.project_id == world["project"]) == 1
        for person in (world["member_id"], world["waiting_id"]):
            assert _count(Notification, Notification.user_id == person) == 1
            assert _count(OutboxMail, OutboxMail.user_id == person) == 1
    page = lead.get(sent.location)
    assert page.status_code == 200 and "遅れないでください。" in page.text
    assert "no-store" in page.headers["Cache-Control"]
    bell = login(world["member"]).get("/notifications")
    assert "主催者からのお知らせ：集合場所の変更" in bell.text


def test_errors_stand_beside_the_fields_and_keep_the_text(login, world):
    lead = login(world["lead"])
    url = f"/projects/{world['project']}/messages/new"
    key = _key(lead.get(url).text)
    response = lead.post(url, data={"key": key, "subject": "件" * 101,
                                    "body": "本文はここに。", "step": "check"})
    assert response.status_code == 422
    assert "送る相手を1つ以上選んでください。" in response.text
    assert "件名は100文字以内で入力してください。" in response.text
    assert "本文はここに。" in response.text and "件" * 101 in response.text
    no_key = lead.post(url, data={"audiences": ["members"], "subject": "件名", "body": "本文",
                                  "step": "send"})
    assert no_key.status_code == 422 and "もう一度「確認する」を押してください" in no_key.text
    assert re.search(r'name="key" type="hidden" value="[A-Za-z0-9_-]{16,}"', no_key.text)
    english = lead.post(url, data={"key": key, "audiences": ["members"], "subject": "",
                                   "body": "x", "step": "check"},
                        headers={"Accept-Language": "en"})
    assert english.status_code == 422 and "Please enter a subject." in english.text


def test_the_daily_limit_is_refused_in_words(app, login, world):
    with app.app_context():
        project = db.session.get(Project, world["project"])
        lead = db.session.get(User, world["lead_id"])
        for n in range(DAILY_LIMIT):
            send_message(lead, project, MessageData(
                ["members"], f"お知らせ{n}", "本文", f"limit-key-{n:010d}"))
        db.session.commit()
    lead = login(world["lead"])
    url = f"/projects/{world['project']}/messages/new"
    refused = lead.post(url, data={"key": _key(lead.get(url).text), "audiences": ["members"],
                                   "subject": "6件目", "body": "本文", "step": "check"})
    assert refused.status_code == 422 and "1日5件まで" in refused.text and "6件目" in refused.text


def test_only_organisers_write(login, world):
    for name in ("member", "outsider"):
        client = login(world[name])
        assert client.get(f"/projects/{world['project']}/messages/new").status_code == 403
        assert client.post(f"/projects/{world['project']}/messages/new", data={
            "key": "k" * 20, "audiences": ["members"], "subject": "s", "body": "b",
            "step": "send"}).status_code == 403


def test_the_archive_is_for_its_audiences_organisers_and_staff(app, login, client, world):
    with app.app_context():
        project = db.session.get(Project, world["project"])
        lead = db.session.get(User, world["lead_id"])
        to_members, _ = send_message(lead, project, MessageData(
            ["members"], "参加者だけへ", "本文", "m" * 20))
        to_waiting, _ = send_message(lead, project, MessageData(
            ["waiting"], "キャンセル待ちへ", "本文", "w" * 20))
        ids = (to_members.id, to_waiting.id)
        db.session.commit()
    archive = f"/projects/{world['project']}/messages"
    member = login(world["member"])
    listing = member.get(archive)
    assert listing.status_code == 200 and "参加者だけへ" in listing.text
    assert "キャンセル待ちへ" not in listing.text
    assert "no-store" in listing.headers["Cache-Control"]
    assert member.get(f"/project-messages/{ids[0]}").status_code == 200
    assert member.get(f"/project-messages/{ids[1]}").status_code == 404  # not to them
    assert member.get(f"/project-messages/{world['elsewhere']}").status_code == 404
    assert "主催者からのお知らせ" in member.get(f"/projects/{world['project']}").text
    outsider = login(world["outsider"])  # a member of the other project
    assert outsider.get(archive).status_code == 403
    assert outsider.get(f"/project-messages/{ids[0]}").status_code == 404
    assert outsider.get(f"/project-messages/{world['elsewhere']}").status_code == 200
    lead = login(world["lead"]).get(archive)
    assert "参加者だけへ" in lead.text and "キャンセル待ちへ" in lead.text
    assert client.get(archive).status_code == 302  # sign in first
    with app.app_context():
        staff = make_user(role="staff")
        db.session.commit()
    assert login(staff).get(f"/project-messages/{ids[1]}").status_code == 200


def test_the_project_page_links_the_archive_for_whoever_may_read_it(app, login, world):
    """The page works out the link from what it read already (organiser, membership): a
    partner organisation's manager still gets it, a resident outside the project not."""
    with app.app_context():
        partner_manager = make_user()
        project = db.session.get(Project, world["project"])
        add_partner(project.lead_user, project, "cooperation", make_organisation(partner_manager))
        db.session.commit()
    page = f"/projects/{world['project']}"
    link = f'href="/projects/{world["project"]}/messages"'
    for person, sees in ((partner_manager, True), (world["waiting"], True),
                         (world["lead"], True), (world["outsider"], False)):
        assert (link in login(person).get(page).text) is sees, person.nickname
