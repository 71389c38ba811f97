"""Access entries of 協働 projects.

``build`` gives resident_a (the lead) a recruiting project with an activity day, a
city-department partner and a partnership request from another organisation;
resident_b has joined it; the world's organisation (org_manager) leads a second
one. An adopted proposal waits to become a project. POSTs send valid forms, so
a success shows as the redirect that follows it.
"""

from datetime import date, time

from komoro_engage.accounts.models import Organisation, User
from komoro_engage.extensions import db
from komoro_engage.projects.activities import DayData, calendar_token, save_activity_day
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.messages import MessageData, send_message
from komoro_engage.projects.services import add_partner, request_partnership
from komoro_engage.proposals.models import ProposalStatus
from tests.access import Access, World, everyone, expect, signed_in
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import area, make_proposal


def build(world: World) -> None:
    lead = db.session.get(User, world.users["resident_a"])
    joined = db.session.get(User, world.users["resident_b"])
    # The lead's exact point: resident_b (a member, not an organiser) and anonymous see
    # only its mesh centre on every page (issue 21).
    project = make_project(lead, point=(36.3187654, 138.4345678))
    world.extra["private"]["resident_a"].extend(["3187654", "4345678", "36.31876", "138.43456"])
    day = save_activity_day(lead, project, DayData(
        day=date(2026, 12, 5), start=time(9), end=time(11), place="市民交流センター"))
    # Attendance is recorded once a day has begun (issue 23): a day already held.
    held = save_activity_day(lead, project, DayData(
        day=date(2026, 11, 1), start=time(9), end=time(11), place="市民交流センター"))
    join_project(joined, project)
    city = add_partner(lead, project, "city_department", None, "市民協働課")
    asking = make_user()
    request = request_partnership(asking, project, make_organisation(asking), "cooperation")
    led_by_org = make_project(lead, organisation=db.session.get(Organisation,
                                                                world.organisation))
    # 主催者からのお知らせ to the members: resident_b reads it; org_manager is no partner.
    message, _sent = send_message(lead, project, MessageData(
        ["members"], "集合場所のお知らせ", "駅前に集合します。", "access-table-message-1"))
    world.extra.update(
        project=project.id, project_message=message.id, org_project=led_by_org.id,
        day=day.id, held_day=held.id, city_partner=city.id,
        partner_request=request.id, token=calendar_token(lead),
        adopted=make_proposal(status=ProposalStatus.ADOPTED).id, area=area(1).id)


def project(world):
    return {"project_id": world.extra["project"]}


def held_day(world):
    return {"day_id": world.extra["held_day"]}


def day(world):
    return {"day_id": world.extra["day"]}


def project_message(world):
    return {"message_id": world.extra["project_message"]}


MESSAGE_FORM = {"key": "access-table-message-2", "audiences": ["members"],
                "subject": "雨天のお知らせ", "body": "雨でも行います。", "step": "send"}


def project_form(world):
    return {"title": "駅前の花壇づくり", "summary": "花壇を一緒につくります",
            "lead": f"u{world.users['resident_a']}", "policy_areas": [str(world.extra["area"])]}


def org_project_form(world):
    return {**project_form(world), "lead": f"o{world.organisation}"}


ORGANISERS_GET = expect(302, 200, 403, 403, 200, 200)
ORGANISERS_POST = expect(302, 302, 403, 403, 302, 302)

# Columns: anonymous, resident_a (lead), resident_b (joined), org_manager, staff, admin.
ENTRIES = [
    Access("api.projects", "GET", everyone(200)),
    Access("api.project", "GET", everyone(200), args=project),
    Access("projects.index", "GET", everyone(200)),
    Access("projects.detail", "GET", everyone(200), args=project),
    Access("projects.poster", "GET", everyone(200), args=project),
    Access("projects.project_calendar", "GET", everyone(200), args=project),
    Access("projects.person_calendar", "GET", everyone(200),
           args=lambda world: {"token": world.extra["token"]}),
    Access("projects.my_calendar", "GET", signed_in(200)),
    Access("projects.reset_my_calendar", "POST", signed_in(302)),
    # Staff, and managers of an organisation (for their organisation).
    Access("projects.new", "GET", expect(302, 403, 403, 200, 200, 200)),
    Access("projects.new", "POST", expect(302, 403, 403, 302, 302, 302), data=org_project_form),
    Access("projects.from_proposal", "GET", expect(302, 403, 403, 403, 200, 200),
           args=lambda world: {"proposal_id": world.extra["adopted"]}),
    Access("projects.from_proposal", "POST", expect(302, 403, 403, 403, 302, 302),
           args=lambda world: {"proposal_id": world.extra["adopted"]}, data=org_project_form),
    Access("projects.edit", "GET", ORGANISERS_GET, args=project),
    Access("projects.edit", "POST", ORGANISERS_POST, args=project, data=project_form),
    Access("projects.set_status", "POST", ORGANISERS_POST,
           args=lambda world: {**project(world), "action": "start"}),
    Access("projects.members", "GET", ORGANISERS_GET, args=project),
    Access("projects.join", "GET", signed_in(200), args=project),
    Access("projects.join", "POST", signed_in(302), args=project,
           data={"role": "volunteer", "message": "よろしくお願いします"}),
    # Only someone who joined can leave.
    Access("projects.comment", "POST", signed_in(302), args=project,
           data={"body": "アクセス表から応援しています。"}),
    Access("projects.leave", "POST", expect(302, 403, 302, 403, 403, 403), args=project),
    Access("projects.request_partner", "GET", expect(302, 403, 403, 200, 403, 403),
           args=project),
    Access("projects.request_partner", "POST", expect(302, 403, 403, 302, 403, 403),
           args=project, data=lambda world: {"organisation": str(world.organisation),
                                             "role": "cooperation"}),
    Access("projects.add_partner_view", "GET", ORGANISERS_GET, args=project),
    Access("projects.add_partner_view", "POST", ORGANISERS_POST, args=project,
           data={"role": "city_department", "department": "農林課"}),
    Access("projects.decide_partner", "POST", ORGANISERS_POST,
           args=lambda world: {"partner_id": world.extra["partner_request"],
                               "decision": "accept"}),
    Access("projects.remove_partner_view", "POST", ORGANISERS_POST,
           args=lambda world: {"partner_id": world.extra["city_partner"]}),
    Access("projects.new_day", "GET", ORGANISERS_GET, args=project),
    Access("projects.new_day", "POST", ORGANISERS_POST, args=project,
           data={"day": "2026-12-12", "start": "09:00", "end": "11:00", "place": "公民館"}),
    Access("projects.edit_day", "GET", ORGANISERS_GET, args=day),
    Access("projects.edit_day", "POST", ORGANISERS_POST, args=day,
           data={"day": "2026-12-06", "start": "13:00", "end": "15:00", "place": "公民館"}),
    # Joined members and organisers say whether they come.
    Access("projects.rsvp_day", "POST", expect(302, 302, 302, 403, 302, 302), args=day),
    Access("projects.cancel_day", "POST", expect(302, 302, 302, 403, 302, 302), args=day),
    Access("projects.attendance", "GET", ORGANISERS_GET, args=held_day),
    Access("projects.attendance", "POST", ORGANISERS_POST, args=held_day, data={"count": "8"}),
    Access("projects.new_message", "GET", ORGANISERS_GET, args=project),
    Access("projects.new_message", "POST", ORGANISERS_POST, args=project, data=MESSAGE_FORM),
    # The archive: organisers, staff and the message's audience (resident_b has joined).
    Access("projects.message_list", "GET", expect(302, 200, 200, 403, 200, 200), args=project),
    Access("projects.message_detail", "GET", expect(302, 200, 200, 404, 200, 200),
           args=project_message),
    Access("projects.new_report", "GET", ORGANISERS_GET, args=project),
    Access("projects.new_report", "POST", ORGANISERS_POST, args=project,
           data={"body": "8人で花を植えました。", "volunteer_hours": "16"}),
]
