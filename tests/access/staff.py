"""Access entries of the staff console (komoro_engage/staff).

Only staff and admins use it; suspending and the CSV export are for admins.
Decisions from a proposal's page answer 404 to whoever cannot see the proposal.
``build`` links the world's published proposal to a measure (for unlinking), gives it a
draft of the city's answer (by staff) and gives a second proposal a draft staff submitted
for approval: staff cannot approve or return their own, an admin can. Neither draft's
text may reach a page a visitor or another resident opens.
"""

from datetime import date

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import fiscal_year_of
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle import drafts
from komoro_engage.proposals.lifecycle.answers import AnswerData
from komoro_engage.proposals.lifecycle.links import link_measure
from komoro_engage.proposals.models import Proposal, ProposalStatus
from tests.access import Access, World, admin_only, expect, staff_only
from tests.proposals.helpers import make_proposal

DRAFT_TEXTS = ["アクセス表の未公開の回答案です", "アクセス表の決裁待ちの回答案です"]


def build(world: World) -> None:
    staff = db.session.get(User, world.users["staff"])
    published = db.session.get(Proposal, world.extra["published"])
    measures = db.session.scalars(select(Measure).order_by(Measure.sort_key).limit(2)).all()
    world.extra["link"] = link_measure(staff, published, measures[0], 2026, "表の紐付け").id
    world.extra["measure"] = measures[1].id
    drafts.save_draft(staff, published, AnswerData("under_review", DRAFT_TEXTS[0], "企画課",
                                                   date(2026, 6, 1)))
    author = db.session.get(User, world.users["resident_a"])
    waiting = make_proposal(author, ProposalStatus.PUBLISHED, title="決裁待ちの回答がある提案")
    draft = drafts.save_draft(staff, waiting, AnswerData("adopted", DRAFT_TEXTS[1], "企画課",
                                                         date(2026, 6, 1)))
    drafts.submit_draft(staff, waiting, draft.version)
    world.extra["answer_waiting"] = waiting.id
    world.extra["private"]["staff"].extend(DRAFT_TEXTS)


def published(world):
    return {"proposal_id": world.extra["published"]}


def pending(world):
    return {"proposal_id": world.extra["pending"]}


def answer(world):
    return {"status": "under_review", "body": "庁内で検討しています。", "department": "企画課",
            "answered_on": "2026-06-01"}


def link(world):
    return {"measure": str(world.extra["measure"]), "note": "関連が深いため",
            "fiscal_year": str(fiscal_year_of(clock.now()))}


def proxy(world):
    return {"title": "公民館に手すりを付けてほしい", "body": "階段が急です。", "kind": "idea",
            "policy_areas": [str(world.extra["area"])], "place": "", "author": "",
            "occasion": "paper", "occasion_detail": "", "received_on": "2026-06-01"}


ENTRIES = [
    Access("staff.console", "GET", staff_only(200)),
    Access("staff.find", "GET", staff_only(200), args={"q": "花壇", "status": "proposal:pending"}),
    Access("staff.find_export_file", "GET", staff_only(200),
           args={"extension": "xlsx", "q": "花壇"}),
    Access("staff.act", "POST", staff_only(302), data=lambda world: {
        "action": "approve", "targets": f"proposal:{world.extra['pending']}"}),
    # 元に戻す: a token that is not valid says so and goes back to the queue.
    Access("staff.take_back", "POST", staff_only(302), data={"token": "x", "queue": "reports"}),
    Access("staff.link_many", "POST", staff_only(302), data=lambda world: {
        **link(world), "targets": f"proposal:{world.extra['published']}", "queue": "threshold"}),
    Access("staff.suspend", "GET", expect(302, 403, 403, 403, 403, 200),
           args=lambda world: {"user_id": world.subject}),
    Access("staff.suspend", "POST", expect(302, 403, 403, 403, 403, 302),
           args=lambda world: {"user_id": world.subject}, data={"reason": "荒らし行為のため"}),
    Access("staff.review_queue", "GET", staff_only(200)),
    Access("staff.approve", "POST", expect(302, 403, 404, 404, 302, 302), args=pending),
    Access("staff.decide", "GET", expect(302, 403, 404, 404, 200, 200),
           args=lambda world: {**pending(world), "action": "send-back"}),
    Access("staff.decide", "POST", expect(302, 403, 403, 403, 302, 302),
           args=lambda world: {**published(world), "action": "hide"},
           data={"reason": "個人情報が含まれていたため"}),
    Access("staff.audit_log", "GET", staff_only(200)),
    Access("staff.audit_export", "GET", admin_only(200)),
    Access("staff.answer", "GET", staff_only(200), args=published),
    Access("staff.answer", "POST", staff_only(302), args=published, data=answer),
    Access("staff.answer_preview", "GET", staff_only(200), args=published),
    Access("staff.publish_answer", "POST", staff_only(302), args=published,
           data={"version": "1", "confirm": "y"}),
    Access("staff.submit_answer", "POST", staff_only(302), args=published,
           data={"version": "1"}),
    # The author of a submitted draft (staff) may not approve or return it; an admin may.
    Access("staff.approve_answer", "POST", expect(302, 403, 403, 403, 403, 302),
           args=lambda world: {"proposal_id": world.extra["answer_waiting"]},
           data={"version": "1", "confirm": "y"}),
    Access("staff.return_answer", "POST", expect(302, 403, 403, 403, 403, 302),
           args=lambda world: {"proposal_id": world.extra["answer_waiting"]},
           data={"version": "1", "reason": "根拠の数字を加えてください"}),
    Access("staff.links", "GET", staff_only(200), args=published),
    Access("staff.links", "POST", staff_only(302), args=published, data=link),
    Access("staff.unlink", "POST", staff_only(302),
           args=lambda world: {"link_id": world.extra["link"]}, data={"reason": "見直し"}),
    Access("staff.proxy_entry", "GET", staff_only(200)),
    Access("staff.proxy_entry", "POST", staff_only(302), data=proxy),
]
