"""Following (issue 22.2): the services, following by taking part, and what followers hear."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from komoro_engage.accounts.erasure import delete_account, export_user_data
from komoro_engage.accounts.models import Role, UserStatus
from komoro_engage.comments.services import add_comment
from komoro_engage.core import clock, events
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.follow_digest import send_follow_digests
from komoro_engage.notifications.follow_models import Follow, FollowTarget
from komoro_engage.notifications.follows import (
    follow,
    follow_automatically,
    followers,
    is_following,
    unfollow,
)
from komoro_engage.notifications.models import Notification
from komoro_engage.notifications.services import set_email_choice
from komoro_engage.plan.models import Indicator, Measure
from komoro_engage.projects.activities import DayData, ReportData, file_report, save_activity_day
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.services import change_status
from komoro_engage.proposals.engagement import support_proposal
from komoro_engage.proposals.lifecycle.history import record_status_change
from komoro_engage.proposals.models import ProposalStatus
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import district, make_proposal


def rows(model, user):
    return db.session.scalars(select(model).where(model.user_id == user.id)
                              .order_by(model.id)).all()


def the_follow(user, target_type, target_id):
    return db.session.scalar(select(Follow).where(
        Follow.user_id == user.id, Follow.target_type == target_type,
        Follow.target_id == target_id))


def test_follow_unfollow_and_follow_again(ctx):
    person, proposal = make_user(), make_proposal()
    row = follow(person, "proposal", proposal.id)
    assert row.is_active and not row.automatic
    assert is_following(person.id, "proposal", proposal.id)
    assert unfollow(person, "proposal", proposal.id)
    assert not is_following(person.id, "proposal", proposal.id)
    assert not unfollow(person, "proposal", proposal.id)  # already stopped
    assert the_follow(person, "proposal", proposal.id).stopped_at is not None
    follow(person, "proposal", proposal.id)
    assert is_following(person.id, "proposal", proposal.id)
    assert len(rows(Follow, person)) == 1  # one row per person and item, always


def test_an_unknown_kind_is_refused(ctx):
    with pytest.raises(ValueError):
        follow(make_user(), "comment", 1)


def test_taking_part_follows_but_never_revives_a_stopped_follow(ctx):
    author, supporter = make_user(), make_user()
    proposal = make_proposal(author)
    assert support_proposal(supporter, proposal)
    row = the_follow(supporter, "proposal", proposal.id)
    assert row.is_active and row.automatic
    unfollow(supporter, "proposal", proposal.id)
    add_comment(supporter, proposal, "やはり賛成です。")  # taking part again
    db.session.expire_all()
    assert the_follow(supporter, "proposal", proposal.id).stopped_at is not None
    follow_automatically(supporter.id, "proposal", proposal.id)
    db.session.expire_all()
    assert not is_following(supporter.id, "proposal", proposal.id)


def test_commenters_and_project_people_follow(ctx):
    commenter, joiner, lead = make_user(), make_user(), make_user()
    proposal = make_proposal()
    add_comment(commenter, proposal, "いいと思います。")
    project = make_project(lead)
    join_project(joiner, project)
    assert is_following(commenter.id, "proposal", proposal.id)
    assert is_following(lead.id, "project", project.id)  # the creator
    assert is_following(joiner.id, "project", project.id)


def test_the_unique_constraint_keeps_one_row_when_two_inserts_race(ctx):
    """The second of two simultaneous first supports finds the row: no error, one row."""
    person, proposal = make_user(), make_proposal()
    follow_automatically(person.id, "proposal", proposal.id)
    follow_automatically(person.id, "proposal", proposal.id)  # as if it lost the race
    assert len(rows(Follow, person)) == 1
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Follow(user_id=person.id, target_type=FollowTarget.PROPOSAL,
                              target_id=proposal.id))
        db.session.flush()


def test_followers_hear_a_status_change_once_and_the_author_as_author(ctx):
    author, staff = make_user(), make_user(role=Role.STAFF)
    fan, quiet, suspended = make_user(), make_user(), make_user()
    proposal = make_proposal(author, title="駅前にベンチを")
    for person in (fan, quiet, suspended, staff):
        follow(person, "proposal", proposal.id)
    follow_automatically(author.id, "proposal", proposal.id)
    unfollow(quiet, "proposal", proposal.id)
    suspended.status = UserStatus.SUSPENDED
    proposal.status = ProposalStatus.UNDER_REVIEW
    record_status_change(proposal, "start_review", ProposalStatus.PUBLISHED, staff)

    (told,) = rows(Notification, fan)
    assert told.kind == kinds.FOLLOWED_PROPOSAL_STATUS
    assert kinds.message(told.kind, told.params) == (
        "提案「駅前にベンチを」の状態が「検討中」になりました。")
    assert told.link == f"/proposals/{proposal.id}"
    (mail,) = rows(OutboxMail, fan)
    assert "フォロー中の提案の状態が変わりました" in mail.subject
    assert "/unsubscribe/" in mail.unsubscribe_url
    assert [n.kind for n in rows(Notification, author)] == [kinds.PROPOSAL_STATUS_CHANGED]
    for nobody in (quiet, suspended, staff):  # stopped, suspended, the actor
        assert rows(Notification, nobody) == []


def test_an_answer_reaches_followers(ctx):
    author, staff, fan = make_user(), make_user(role=Role.STAFF), make_user()
    proposal = make_proposal(author)
    follow(fan, "proposal", proposal.id)
    events.proposal_answered.send(proposal, actor=staff, answer=None)
    assert [n.kind for n in rows(Notification, fan)] == [kinds.FOLLOWED_PROPOSAL_ANSWERED]


def test_a_hidden_proposal_tells_its_followers_nothing(ctx):
    author, staff, fan = make_user(), make_user(role=Role.STAFF), make_user()
    proposal = make_proposal(author)
    follow(fan, "proposal", proposal.id)
    proposal.status = ProposalStatus.HIDDEN
    record_status_change(proposal, "hide", ProposalStatus.PUBLISHED, staff)
    assert rows(Notification, fan) == []


def test_project_followers_hear_status_days_and_reports_but_members_only_once(ctx):
    lead, fan, member = make_user(), make_user(), make_user()
    project = make_project(lead, title="河川敷の清掃")
    follow(fan, "project", project.id)
    join_project(member, project)  # a member follows automatically and hears as a member
    change_status(lead, project, "start")
    assert [n.kind for n in rows(Notification, fan)] == [kinds.FOLLOWED_PROJECT_STATUS]
    assert [n.kind for n in rows(Notification, member)] == [kinds.PROJECT_STATUS_CHANGED]
    assert rows(Notification, lead) == []  # the actor

    day = save_activity_day(lead, project, DayData(
        day=date.today() + timedelta(days=7), start=time(9), end=time(11), title="春の清掃"))
    told = rows(Notification, fan)[-1]
    assert told.kind == kinds.FOLLOWED_ACTIVITY_DAY
    assert "活動日「春の清掃」" in kinds.message(told.kind, told.params)
    assert (told.target_type, told.target_id) == ("activity_day", day.id)
    assert rows(Notification, member)[-1].kind == kinds.FOLLOWED_ACTIVITY_DAY

    file_report(lead, project, ReportData(body="20人で拾いました。"))
    assert rows(Notification, fan)[-1].kind == kinds.FOLLOWED_REPORT


def test_a_confirmed_actual_tells_the_measure_and_policy_area_followers_once(ctx):
    indicator = db.session.scalar(select(Indicator).order_by(Indicator.id).limit(1))
    if indicator is None:
        pytest.skip("the test plan has no indicator")
    measure = db.session.get(Measure, indicator.measure_id)
    staff, both, area_only = make_user(role=Role.STAFF), make_user(), make_user()
    follow(both, "measure", measure.id)
    follow(both, "policy_area", measure.policy_area_id)
    follow(area_only, "policy_area", measure.policy_area_id)
    events.indicator_actual_confirmed.send(
        object(), actor=staff, indicator_id=indicator.id, fiscal_year=2026, value=1,
        source="survey", source_url="/surveys/1")
    for person in (both, area_only):
        (told,) = rows(Notification, person)
        assert told.kind == kinds.FOLLOWED_EVALUATION
        assert "2026年度の実績" in kinds.message(told.kind, told.params)
        assert told.link == f"/plan/measures/{measure.code}"


def test_followers_lists_active_accounts_only(ctx):
    proposal = make_proposal()
    active, gone = make_user(), make_user()
    for person in (active, gone):
        follow(person, "proposal", proposal.id)
    gone.status = UserStatus.DELETED
    db.session.flush()
    assert followers("proposal", proposal.id) == [active]
    assert followers("proposal", proposal.id, leave_out=[active.id]) == []


def test_the_daily_digest_gathers_follow_mails_into_one(ctx):
    author, staff, fan = make_user(), make_user(role=Role.STAFF), make_user()
    first, second = make_proposal(author, title="一つ目"), make_proposal(author, title="二つ目")
    set_email_choice(fan.id, kinds.FOLLOWING_DIGEST, True)
    for proposal in (first, second):
        follow(fan, "proposal", proposal.id)
        events.proposal_answered.send(proposal, actor=staff, answer=None)
    assert len(rows(Notification, fan)) == 2  # the bell at once
    assert rows(OutboxMail, fan) == []  # no mail one by one

    assert send_follow_digests(clock.now() + timedelta(minutes=1)) == 1
    (mail,) = rows(OutboxMail, fan)
    assert mail.kind == kinds.FOLLOWING_DIGEST and "（2件）" in mail.subject
    assert "「一つ目」" in mail.body and "「二つ目」" in mail.body
    assert "/account/following" in mail.body and mail.unsubscribe_url in mail.body
    # the same day again: nothing new is sent
    assert send_follow_digests(clock.now() + timedelta(hours=2)) == 0


def test_the_digest_waits_for_news_and_respects_the_switched_off_category(ctx):
    fan, other = make_user(), make_user()
    set_email_choice(fan.id, kinds.FOLLOWING_DIGEST, True)
    set_email_choice(other.id, kinds.FOLLOWING_DIGEST, True)
    set_email_choice(other.id, kinds.FOLLOWING, False)
    assert send_follow_digests(clock.now() + timedelta(minutes=1)) == 0  # nothing to tell
    proposal = make_proposal()
    follow(other, "proposal", proposal.id)
    events.proposal_answered.send(proposal, actor=None, answer=None)
    assert rows(Notification, other) and rows(OutboxMail, other) == []
    assert send_follow_digests(clock.now() + timedelta(minutes=1)) == 0


def test_follows_are_in_the_data_download_and_go_with_the_account(ctx):
    person, proposal = make_user(), make_proposal()
    follow(person, "proposal", proposal.id)
    support_proposal(make_user(), proposal)
    exported = export_user_data(person)["notifications"]["follows"]
    assert exported == [{"target_type": "proposal", "target_id": proposal.id,
                         "automatic": False, "created_at": exported[0]["created_at"],
                         "stopped_at": None}]
    delete_account(person, remove_posts=False)
    assert rows(Follow, person) == []
    assert len(followers("proposal", proposal.id)) == 1  # the supporter's stays


def test_followers_of_a_district_or_policy_area_hear_of_its_items_once(ctx):
    author, staff = make_user(), make_user(role=Role.STAFF)
    neighbour, keen, both = make_user(), make_user(), make_user()
    place = district()
    proposal = make_proposal(author, title="公民館に本棚を", district_id=place.id)
    area_id = proposal.policy_areas[0].id
    follow(neighbour, "district", place.id)
    follow(keen, "policy_area", area_id)
    for target in (("proposal", proposal.id), ("district", place.id)):
        follow(both, *target)
    proposal.status = ProposalStatus.UNDER_REVIEW
    record_status_change(proposal, "start_review", ProposalStatus.PUBLISHED, staff)

    (told,) = rows(Notification, neighbour)
    assert told.params["via"] == "district"
    assert kinds.message(told.kind, told.params) == (
        f"提案「公民館に本棚を」の状態が「検討中」になりました。"
        f"（フォローしている地区「{place.name}」の項目です）")
    assert rows(Notification, keen)[0].params["via"] == "policy_area"
    (direct,) = rows(Notification, both)  # once, as the proposal's follower
    assert "via" not in direct.params
