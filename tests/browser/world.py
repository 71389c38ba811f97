"""The people and records the shared ``site`` shows, and signing a browser in as one of them.

One row of each kind a page type needs: a published proposal with a comment,
a proposal waiting for review, a draft, an organisation with its manager, and
a user per audience. ``pages.py`` refers to their ids by name
(``/proposals/{proposal}``). Signing in sets a session cookie signed with the
app's key, as Flask would after the sign-in form: journeys that are about the
form type into it themselves (test_sign_up_phone.py, test_journey_proposal.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update

from komoro_engage.accounts.models import Role, User
from komoro_engage.comments import services as comment_services
from komoro_engage.comments.models import Comment
from komoro_engage.consultations.models import StatementStatus
from komoro_engage.core import clock
from komoro_engage.evaluation import services as evaluation
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import report_item
from komoro_engage.notifications import newsletters
from komoro_engage.notifications.newsletter_models import Audience
from komoro_engage.notifications.services import set_email_choice
from komoro_engage.plan.departments import Department
from komoro_engage.plan.models import Measure, PlanEdition, RatingLevel
from komoro_engage.plan.place_models import Landmark
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.messages import MessageData, send_message
from komoro_engage.proposals import engagement
from komoro_engage.proposals.lifecycle import drafts
from komoro_engage.proposals.lifecycle.answers import AnswerData
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.staff import handling
from tests.consultations.helpers import analysed_demo, make_consultation, make_statement
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal


@dataclass
class World:
    """Ids to fill page paths with, and a session cookie value per audience."""

    ids: dict[str, int] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    app: object = None

    def keep_comment_editable(self) -> None:
        """Date the shared comment now: its author may edit it for 15 minutes only, and a
        slow run reaches the comment-edit page later than that (a 403 on a loaded CI)."""
        with self.app.app_context():
            db.session.execute(update(Comment).where(Comment.id == self.ids["comment"])
                               .values(created_at=clock.now()))
            db.session.commit()
            db.session.remove()


def session_cookie(app, user) -> str:
    """The value of the ``session`` cookie Flask-Login would set for ``user``."""
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)
        return serializer.dumps({"_user_id": user.get_id(), "_fresh": True})


def text_map_of_measure(texts: list[str], themes: int = 2) -> int:
    """A stored 市民の声の地図 of measure 1-2: ``themes`` themes, each split in two, each
    showing ``texts`` (keys such as "proposal:3") as its nearest texts."""
    from komoro_engage.plan.models import Measure
    from komoro_engage.search.models import TextMapSnapshot

    measure = db.session.scalars(select(Measure).where(Measure.code == "1-2")).first()
    words = ["花壇", "季節", "花", "除雪", "通学路", "凍結", "水やり", "手伝う", "植える", "種"]
    clusters = []
    for n in range(1, themes + 1):
        clusters.append({"key": f"c{n}", "parent": None, "size": 20 - n, "words": words[:6],
                         "nearest": texts[:3], "members": texts, "label": None})
        clusters += [{"key": f"c{n}.{m}", "parent": f"c{n}", "size": 5, "words": words[m:m + 4],
                      "nearest": texts[:3], "members": texts, "label": None} for m in (1, 2)]
    db.session.add(TextMapSnapshot(scope=f"measure:{measure.id}", computed_at=clock.now(),
                                   payload={"texts": 40, "serial": 99, "clusters": clusters}))
    return measure.id
def budget_world(resident, staff) -> dict[str, int]:
    """A 市民予算 open for voting and a finished one with its published result, in which
    ``resident`` and a dozen others voted."""
    from komoro_engage.budgeting import ballots, results
    from tests.budgeting.helpers import make_process

    voting = make_process(projects=(1_200_000, 800_000, 1_500_000, 600_000))
    done = make_process(phase="results")
    ids = [p.id for p in done.projects]
    ballots.cast_ballot(resident, done, {ids[0]: 1, ids[3]: 1})
    for n in range(12):
        ballots.cast_ballot(make_user(age_band="40s"), done, {ids[n % 3]: 1, ids[4]: 1})
    results.publish_results(staff, done, results.compute_results(staff, done))
    return {"budget_voting": voting.id, "budget_done": done.id}


def _surveys(staff, respondent):
    """An open survey of every kind of question, a closed one with results, and a draft
    (the builder's move and delete buttons)."""
    from komoro_engage.surveys import services as survey_services
    from tests.surveys.helpers import answer_all, make_survey

    open_survey = make_survey(staff, allow_visitors=True)
    closed_survey = make_survey(staff)
    answer_all(closed_survey, respondent)
    answer_all(closed_survey, None)
    survey_services.change_status(staff, closed_survey, "close")
    return open_survey, closed_survey, make_survey(staff, publish=False)


def newsletter_world(staff) -> dict[str, int]:
    """A sent newsletter (the public archive) and a draft (the staff's pages)."""
    sent = newsletters.save_draft(
        staff, None, "秋の市民清掃のお知らせ",
        "10月に市民清掃を行います。\n詳しくは https://example.jp/seisou をご覧ください。",
        Audience.ALL, [])
    newsletters.start_sending(staff, sent, "browser-world-newsletter", select(User.id))
    draft = newsletters.save_draft(staff, None, "冬の催しのお知らせ（下書き）",
                                   "12月に催しがあります。", Audience.ALL, [])
    return {"newsletter_sent": sent.id, "newsletter_draft": draft.id}


def build(app) -> World:
    """Create the shared records (committed) and the audiences' sessions."""
    world = World()
    with app.app_context():
        author = make_user(nickname="花壇の提案者")
        resident = make_user(nickname="賛同する住民")
        manager = make_user(nickname="里山の会の代表")
        staff = make_user(Role.STAFF, nickname="市の担当者")
        admin = make_user(Role.ADMIN, nickname="管理者")
        organisation = make_organisation(manager, name="こもろ里山の会",
                                         description="里山の手入れをしています。")
        published = make_proposal(author, title="駅前の花壇に季節の花を植えたい",
                                  body="駅前の花壇が寂しいので、\n季節の花を植えたいです。",
                                  point=(36.3281357, 138.4252468))
        # Two more on the map: a landmark, and a point sharing a 1 km cell (a cluster).
        answerable = make_proposal(author, title="懐古園の桜を守る活動をしたい",
                                   landmark=db.session.scalars(select(Landmark).where(
                          Landmark.key == "kaikoen")).one())
        make_proposal(resident, title="駅の近くにベンチがほしい", point=(36.3290, 138.4270))
        engagement.support_proposal(author, published)
        comment = comment_services.add_comment(resident, published, "水やりを手伝えます。", "for")
        pending = make_proposal(author, ProposalStatus.PENDING, title="公民館に本棚を置きたい")
        draft = make_proposal(resident, ProposalStatus.DRAFT, title="通学路に街灯を増やしたい")
        voices = text_map_of_measure([f"proposal:{published.id}", f"comment:{comment.id}"])
        budgets = budget_world(resident, staff)
        consultation = make_consultation(staff=staff)
        statement = make_statement(consultation, "駅前に屋根付きの駐輪場をつくってほしい",
                                   author=author)
        # The console's statement queues (issue 17): one to check, one reported.
        make_statement(consultation, "図書館の開館時間を延ばしてほしい", author=resident,
                       status=StatementStatus.PENDING, published_at=None)
        report_item(resident, statement, "other", "確かめてください")
        analysed = analysed_demo()
        open_survey, closed_survey, draft_survey = _surveys(staff, author)
        # The city's answer to the flower-bed proposal, written and waiting for approval
        # (issue 23): its preview, the approval forms and the console's queue.
        answer_draft = drafts.save_draft(staff, published, AnswerData(
            "adopted", "来年度、駅前の花壇に季節の花を植えます。", "農林課", date(2026, 6, 1)))
        drafts.submit_draft(staff, published, answer_draft.version)
        # Evaluation records of measure 1-2: a draft to preview, one waiting for approval.
        evaluated = db.session.scalars(select(Measure).join(PlanEdition).where(
            PlanEdition.is_current, Measure.code == "1-2")).one()
        b_rating = db.session.scalars(select(RatingLevel).where(RatingLevel.code == "B")).one()
        for year, text in ((2025, "子育ての相談の場が増えた。"),
                           (2024, "概ね計画どおりに進んだ。")):
            record = evaluation.open_record(staff, evaluated, year)
            evaluation.save_draft(staff, record, b_rating, text, "地区ごとに広げる。")
        evaluation.submit_record(staff, record, record.version)
        # A project whose organiser wrote to its members (issue 23), and the flower-bed
        # proposal routed to a 担当課 with an internal note (issue 22).
        project = make_project(author, title="駅前花壇の手入れの会")
        join_project(resident, project)
        message, _sent = send_message(author, project, MessageData(
            audiences=["members"], subject="雨天の連絡", body="明日の手入れは雨のため中止します。",
            submission_key="browser-world-message"))
        department = db.session.scalars(select(Department).order_by(Department.sort_order)).first()
        handling.assign_proposal(staff, published, department)
        handling.add_note(staff, published, "農林課に電話で確認済み。")
        set_email_choice(resident.id, "newsletter", True)
        letters = newsletter_world(staff)
        db.session.commit()
        world.app = app
        world.ids = {"proposal": published.id, "answerable": answerable.id,
                     "evaluated": evaluated.id,
                     "comment": comment.id, "pending": pending.id,
                     "draft": draft.id, "org": organisation.id, "resident": resident.id,
                     "voices": voices, **budgets,
                     "consultation": consultation.id, "statement": statement.id,
                     "analysed": analysed,
                     "survey": open_survey.id, "closed_survey": closed_survey.id,
                     "draft_survey": draft_survey.id, "project": project.id,
                     "message": message.id, "department": department.id,
                     "staff_user": staff.id, **letters}
        world.sessions = {name: session_cookie(app, user) for name, user in {
            "resident": resident, "author": author, "manager": manager, "staff": staff,
            "admin": admin}.items()}
        db.session.remove()
    return world
