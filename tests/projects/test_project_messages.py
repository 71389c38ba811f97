"""Organisers' messages (主催者からのお知らせ) as a service: who receives them, once each, by
the bell and by mail as their settings say; a daily limit; a one-time submission key."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import UserStatus
from komoro_engage.core import clock
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.models import Notification
from komoro_engage.notifications.services import set_email_choice
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.message_models import ProjectMessage
from komoro_engage.projects.messages import (
    DAILY_LIMIT,
    DailyLimitReached,
    MessageData,
    recipients,
    send_message,
    sent_today,
)
from komoro_engage.projects.services import add_partner
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project

NOON = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # 12:00 in Japan


def rows(model, user):
    return db.session.scalars(select(model).where(model.user_id == user.id)).all()


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def people(ctx):
    """A project with one place: a member, one waiting, a partner organisation's manager
    (who also waits), and the lead."""
    lead = make_user()
    project = make_project(lead, capacity=1)
    member, waiting, partner_manager, outsider = make_user(), make_user(), make_user(), \
        make_user()
    join_project(member, project)
    join_project(waiting, project)
    join_project(partner_manager, project)  # waiting too: in two audiences
    add_partner(lead, project, "cooperation", make_organisation(partner_manager))
    return {"lead": lead, "project": project, "member": member, "waiting": waiting,
            "partner": partner_manager, "outsider": outsider}


def _data(key="k" * 20, audiences=("members", "waiting", "partners"), **fields):
    return MessageData(audiences=list(audiences), subject=fields.get("subject", "雨天の連絡"),
                       body=fields.get("body", "明日の草刈りは雨のため中止します。"),
                       submission_key=key)


def test_audiences_choose_the_people_once_each_never_the_author(people):
    project, lead = people["project"], people["lead"]
    assert recipients(project, ["members"], lead) == [people["member"]]
    assert recipients(project, ["waiting"], lead) == [people["waiting"], people["partner"]]
    assert recipients(project, ["partners"], lead) == [people["partner"]]
    everyone = recipients(project, ["members", "waiting", "partners"], lead)
    assert everyone == [people["member"], people["waiting"], people["partner"]]  # deduped
    # The member writes as staff would (an organiser who is also a member): not to themself.
    assert people["member"] not in recipients(project, ["members"], people["member"])


def test_a_message_reaches_each_recipient_in_the_bell_and_by_mail_once(people):
    with clock.freeze(NOON):
        message, sent = send_message(people["lead"], people["project"], _data())
    assert sent and message.recipient_count == 3
    assert message.audience_list == ["members", "waiting", "partners"]
    for name in ("member", "waiting", "partner"):
        (notification,) = rows(Notification, people[name])
        assert notification.kind == kinds.PROJECT_MESSAGE
        assert notification.link == f"/project-messages/{message.id}"
        text = kinds.message(notification.kind, notification.params)
        assert "雨天の連絡" in text and "雨のため中止します" in text
        (mail,) = rows(OutboxMail, people[name])
        assert "雨のため中止します" in mail.body
        assert mail.subject == "【こもろ協働ひろば】主催者からのお知らせ：雨天の連絡"
    for name in ("lead", "outsider"):
        assert rows(Notification, people[name]) == [] and rows(OutboxMail, people[name]) == []


def test_mail_settings_and_suspended_accounts_are_respected(people):
    set_email_choice(people["member"].id, "project_news", False)
    people["waiting"].status = UserStatus.SUSPENDED
    message, _sent = send_message(people["lead"], people["project"], _data())
    assert message.recipient_count == 2
    assert len(rows(Notification, people["member"])) == 1  # the bell, not the mail
    assert rows(OutboxMail, people["member"]) == []
    assert rows(Notification, people["waiting"]) == [] and rows(OutboxMail, people["waiting"]) == []


def test_the_same_submission_key_sends_once(people):
    first, sent = send_message(people["lead"], people["project"], _data(key="a" * 20))
    again, sent_again = send_message(people["lead"], people["project"], _data(key="a" * 20))
    assert sent and not sent_again and again.id == first.id
    assert count(ProjectMessage, ProjectMessage.project_id == people["project"].id) == 1
    assert len(rows(Notification, people["member"])) == 1
    assert len(rows(OutboxMail, people["member"])) == 1


def test_at_most_a_few_messages_a_day(people):
    project, lead = people["project"], people["lead"]
    with clock.freeze(NOON):
        for n in range(DAILY_LIMIT):
            send_message(lead, project, _data(key=f"key-{n:020d}"))
        with pytest.raises(DailyLimitReached):
            send_message(lead, project, _data(key="over-the-limit-0000"))
        # A resubmission of one already sent is not refused: it was sent.
        _message, sent = send_message(lead, project, _data(key=f"key-{0:020d}"))
        assert not sent
    with clock.freeze(NOON + timedelta(days=1) - timedelta(hours=3)):  # the next day, 09:00
        _message, sent = send_message(lead, project, _data(key="next-day-0000000000"))
        assert sent
    assert count(ProjectMessage, ProjectMessage.project_id == project.id) == DAILY_LIMIT + 1


def test_the_day_is_counted_from_midnight_in_japan(people):
    """00:30 in Japan is 15:30 UTC the day before: what was sent at 23:00 Japan time
    belongs to yesterday, what was sent at 00:10 to today (on SQLite too, which compares
    stored UTC text with the bound: a bound in Japan time put midnight at 09:00)."""
    project, lead = people["project"], people["lead"]
    with clock.freeze(datetime(2026, 12, 4, 14, 0, tzinfo=UTC)):  # 23:00 on the 4th
        send_message(lead, project, _data(key="yesterday-000000000"))
    with clock.freeze(datetime(2026, 12, 4, 15, 10, tzinfo=UTC)):  # 00:10 on the 5th
        send_message(lead, project, _data(key="today-0000000000000"))
    with clock.freeze(datetime(2026, 12, 4, 15, 30, tzinfo=UTC)):  # 00:30 on the 5th
        assert sent_today(project) == 1
    with clock.freeze(datetime(2026, 12, 4, 14, 30, tzinfo=UTC)):  # 23:30 on the 4th
        assert sent_today(project) == 1
