"""Access entries of proposals and the open-data API.

``build`` gives resident_a (the author) a published proposal with a comment (whose
own routes are in comments.py), a draft and a pending proposal; resident_b and
org_manager are unrelated residents.
POSTs send valid forms, so a success shows as the redirect that follows it.
Suspended accounts count as signed out (tests/proposals/test_proposal_access.py
checks them route by route).
"""

from komoro_engage.accounts.models import User
from komoro_engage.comments.services import add_comment
from komoro_engage.extensions import db
from komoro_engage.proposals.models import ProposalStatus
from tests.access import Access, World, everyone, expect, signed_in
from tests.proposals.helpers import area, make_proposal

EXACT_POINT = (36.3291234, 138.4312345)
# The digits themselves, and the point to 5 decimals (about 1 m) however it is written.
EXACT_POINT_TRACES = ["3291234", "4312345", "36.32912", "138.43123"]


def build(world: World) -> None:
    author = db.session.get(User, world.users["resident_a"])
    # A point tapped on the map, with decimals no mesh centre has: every page and answer
    # the access table fetches as anonymous or resident_b must lack them (issue 21).
    published = make_proposal(author, ProposalStatus.PUBLISHED, point=EXACT_POINT)
    world.extra["private"]["resident_a"].extend(EXACT_POINT_TRACES)
    world.extra.update(
        published=published.id,
        draft=make_proposal(author, ProposalStatus.DRAFT).id,
        pending=make_proposal(author, ProposalStatus.PENDING).id,
        comment=add_comment(author, published, "アクセス表のコメントです。").id,
        area=area(1).id,
    )


def published(world):
    return {"proposal_id": world.extra["published"]}


def draft(world):
    return {"proposal_id": world.extra["draft"]}




def new_proposal(world):
    return {"title": "小諸駅前に屋根付きの駐輪場を", "body": "雨の日も自転車で通学できるように。",
            "kind": "idea", "policy_areas": [str(world.extra["area"])], "place": "",
            "action": "draft"}


# Columns: anonymous, resident_a (author), resident_b, org_manager, staff, admin.
ENTRIES = [
    Access("proposals.index", "GET", everyone(200)),
    Access("proposals.detail", "GET", everyone(200), args=published),
    Access("proposals.mine", "GET", signed_in(200)),
    Access("proposals.new", "GET", signed_in(200)),
    Access("proposals.new", "POST", signed_in(302), data=new_proposal),
    # Drafts are invisible (404) to other residents; staff see them but cannot edit.
    Access("proposals.edit", "GET", expect(302, 200, 404, 404, 403, 403), args=draft),
    Access("proposals.edit", "POST", expect(302, 302, 404, 404, 403, 403), args=draft,
           data=new_proposal),
    Access("proposals.submit", "POST", expect(302, 302, 404, 404, 403, 403), args=draft),
    Access("proposals.withdraw", "POST", expect(302, 302, 403, 403, 403, 403), args=published),
    # Authors do not support their own proposal.
    Access("proposals.support", "POST", expect(302, 403, 302, 302, 302, 302), args=published),
    Access("proposals.unsupport", "POST", expect(302, 403, 302, 302, 302, 302), args=published),
    Access("proposals.comment", "POST", signed_in(302), args=published,
           data={"body": "アクセス表から賛成です。"}),
    Access("proposals.report_proposal", "GET", signed_in(200), args=published),
    Access("proposals.report_proposal", "POST", signed_in(302), args=published,
           data={"reason": "spam"}),
    Access("api.plan", "GET", everyone(200)),
    Access("api.openapi", "GET", everyone(200)),
    Access("api.proposals", "GET", everyone(200)),
    Access("api.proposal", "GET", everyone(200), args=published),
]
