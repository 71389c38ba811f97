"""Access entries of surveys.

``build`` makes a published survey (signed-in residents only), a draft (staff's alone),
a closed survey with results, and one free-text answer to moderate. POSTs send valid
forms, so a success shows as the redirect that follows it.
"""

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.plan.models import Indicator
from komoro_engage.surveys import services
from komoro_engage.surveys.indicators import link_indicator
from komoro_engage.surveys.models import Answer
from komoro_engage.surveys.polls import create_poll
from tests.access import Access, World, everyone, signed_in, staff_only
from tests.surveys.helpers import answer_all, first_page, make_survey


def build(world: World) -> None:
    staff = db.session.get(User, world.users["staff"])
    published = make_survey(staff)
    draft = make_survey(staff, publish=False)
    closed = make_survey(staff)
    indicator = db.session.scalars(select(Indicator).where(Indicator.unit == "%")).first()
    link = link_indicator(staff, closed.sections[0].questions[0], indicator, [1, 2])
    response = answer_all(closed, db.session.get(User, world.users["resident_b"]))
    services.change_status(staff, closed, "close")
    text = db.session.scalars(db.select(Answer).where(
        Answer.response_id == response.id, Answer.text.is_not(None))).first()
    poll = create_poll(staff, "駅前に欲しいものは", ["ベンチ", "花壇"], "home", None)
    world.extra.update(poll=poll.id, poll_option=poll.sections[0].questions[0].options[0].id,
                       indicator=indicator.id, indicator_link=link.id, survey=published.id,
                       survey_draft=draft.id, closed=closed.id,
                       section=draft.sections[0].id,
                       # Nothing depends on it (no later question is conditioned on it).
                       draft_question=draft.sections[1].questions[1].id,
                       question=published.sections[0].questions[0].id, text=text.id,
                       first_page=first_page(published))


def survey(world):
    return {"survey_id": world.extra["survey"]}


def draft(world):
    return {"survey_id": world.extra["survey_draft"]}


def closed(world):
    return {"survey_id": world.extra["closed"]}


STAFF_POST = staff_only(302)

# Columns: anonymous, resident_a, resident_b, org_manager, staff, admin.
ENTRIES = [
    Access("api.surveys", "GET", everyone(200)),
    Access("api.survey", "GET", everyone(200), args=closed),
    Access("surveys.index", "GET", everyone(200)),
    Access("surveys.detail", "GET", everyone(200), args=survey),
    # Signed-in residents answer (this survey does not take visitors).
    Access("surveys.answer", "GET", signed_in(200), args=survey),
    Access("surveys.answer", "POST", signed_in(302), args=survey,
           data=lambda world: world.extra["first_page"]),
    # Results are public once closed.
    Access("surveys.results_page", "GET", everyone(200), args=closed),
    Access("surveys.results_csv", "GET", everyone(200), args=closed),
    Access("surveys.results_by", "GET", everyone(200),
           args=lambda world: {**closed(world), "dimension": "district"}),
    Access("surveys.manage", "GET", staff_only(200)),
    Access("surveys.new", "GET", staff_only(200)),
    Access("surveys.new", "POST", STAFF_POST, data={"title": "交通アンケート"}),
    Access("surveys.edit", "GET", staff_only(200), args=draft),
    Access("surveys.edit", "POST", STAFF_POST, args=draft, data={"title": "新しい題名"}),
    Access("surveys.add_section", "POST", STAFF_POST, args=draft, data={"title": "交通"}),
    Access("surveys.add_question", "GET", staff_only(200),
           args=lambda world: {"section_id": world.extra["section"]}),
    Access("surveys.add_question", "POST", STAFF_POST,
           args=lambda world: {"section_id": world.extra["section"]},
           data={"kind": "scale", "prompt": "バスは便利ですか"}),
    Access("surveys.fix_wording", "GET", staff_only(200),
           args=lambda world: {"question_id": world.extra["question"]}),
    Access("surveys.fix_wording", "POST", STAFF_POST,
           args=lambda world: {"question_id": world.extra["question"]},
           data={"prompt": "小諸市にずっと住み続けたいと思いますか", "reason": "誤字"}),
    # Deleting and reordering while a draft (a published survey's answer 409, frozen:
    # tests/surveys/test_builder_order.py).
    Access("surveys.move_question", "POST", STAFF_POST,
           args=lambda world: {"question_id": world.extra["draft_question"],
                               "direction": "down"}),
    Access("surveys.delete_question", "POST", STAFF_POST,
           args=lambda world: {"question_id": world.extra["draft_question"]}),
    Access("surveys.move_section", "POST", STAFF_POST,
           args=lambda world: {"section_id": world.extra["section"], "direction": "down"}),
    Access("surveys.delete_section", "POST", STAFF_POST,
           args=lambda world: {"section_id": world.extra["section"]}),
    Access("surveys.set_status", "POST", STAFF_POST,
           args=lambda world: {**survey(world), "action": "close"}),
    Access("surveys.paper_entry", "GET", staff_only(200), args=survey),
    Access("surveys.paper_entry", "POST", STAFF_POST, args=survey,
           data=lambda world: {"paper_ref": "A-001", **world.extra["first_page"]}),
    Access("surveys.texts", "GET", staff_only(200), args=closed),
    Access("surveys.review_text", "POST", STAFF_POST,
           args=lambda world: {"answer_id": world.extra["text"], "decision": "approve"}),
    Access("surveys.results_xlsx", "GET", staff_only(200), args=closed),
    Access("surveys.new_poll", "GET", staff_only(200)),
    Access("surveys.new_poll", "POST", STAFF_POST,
           data={"prompt": "公園に欲しいものは", "options": "遊具\nベンチ", "placement": "home"}),
    Access("surveys.vote", "POST", signed_in(302),
           args=lambda world: {"survey_id": world.extra["poll"]},
           data=lambda world: {"option": str(world.extra["poll_option"])}),
    Access("surveys.link_indicator", "GET", staff_only(200), args=survey),
    Access("surveys.link_indicator", "POST", STAFF_POST, args=survey,
           data=lambda world: {"question": str(world.extra["question"]),
                               "indicator": str(world.extra["indicator"]), "values": "1,2"}),
    Access("surveys.confirm_indicator", "POST", STAFF_POST,
           args=lambda world: {"link_id": world.extra["indicator_link"]}),
]
