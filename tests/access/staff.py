"""Access entries of the staff console (komoro_engage/staff).

Only staff and admins use it; suspending and the CSV export are for admins.
Decisions from a proposal's page answer 404 to whoever cannot see the proposal.
``build`` links the world's published proposal to a measure (for unlinking).
"""

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import fiscal_year_of
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.links import link_measure
from komoro_engage.proposals.models import Proposal
from tests.access import Access, World, admin_only, expect, staff_only


def build(world: World) -> None:
    staff = db.session.get(User, world.users["staff"])
    published = db.session.get(Proposal, world.extra["published"])
    measures = db.session.scalars(select(Measure).order_by(Measure.sort_key).limit(2)).all()
    world.extra["link"] = link_measure(staff, published, measures[0], 2026, "表の紐付け").id
    world.extra["measure"] = measures[1].id


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
    Access("staff.links", "GET", staff_only(200), args=published),
    Access("staff.links", "POST", staff_only(302), args=published, data=link),
    Access("staff.unlink", "POST", staff_only(302),
           args=lambda world: {"link_id": world.extra["link"]}, data={"reason": "見直し"}),
    Access("staff.proxy_entry", "GET", staff_only(200)),
    Access("staff.proxy_entry", "POST", staff_only(302), data=proxy),
]
