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

from komoro_engage.accounts.models import Role
from komoro_engage.comments import services as comment_services
from komoro_engage.extensions import db
from komoro_engage.proposals import engagement
from komoro_engage.proposals.models import ProposalStatus
from tests.factories import make_organisation, make_user
from tests.proposals.helpers import make_proposal


@dataclass
class World:
    """Ids to fill page paths with, and a session cookie value per audience."""

    ids: dict[str, int] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)


def session_cookie(app, user) -> str:
    """The value of the ``session`` cookie Flask-Login would set for ``user``."""
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)
        return serializer.dumps({"_user_id": user.get_id(), "_fresh": True})


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
                                  body="駅前の花壇が寂しいので、\n季節の花を植えたいです。")
        engagement.support_proposal(author, published)
        comment = comment_services.add_comment(resident, published, "水やりを手伝えます。", "for")
        pending = make_proposal(author, ProposalStatus.PENDING, title="公民館に本棚を置きたい")
        draft = make_proposal(resident, ProposalStatus.DRAFT, title="通学路に街灯を増やしたい")
        db.session.commit()
        world.ids = {"proposal": published.id, "comment": comment.id, "pending": pending.id,
                     "draft": draft.id, "org": organisation.id, "resident": resident.id}
        world.sessions = {name: session_cookie(app, user) for name, user in {
            "resident": resident, "author": author, "manager": manager, "staff": staff,
            "admin": admin}.items()}
        db.session.remove()
    return world
