"""Access entries of the staff queue 「管理者のいない団体」 (staff/views/organisations.py).

``build`` adds an organisation whose only member is not a manager.
"""

from komoro_engage.accounts.models import Membership, MembershipStatus
from komoro_engage.extensions import db
from tests.access import Access, World, staff_only
from tests.factories import make_organisation, make_user


def build(world: World) -> None:
    organisation = make_organisation(name="管理者のいない会")
    member = make_user()
    db.session.add(Membership(organisation=organisation, user=member,
                              status=MembershipStatus.ACTIVE))
    db.session.flush()
    world.extra["managerless"] = organisation.id
    world.extra["managerless_member"] = member.id


def _organisation(world: World) -> dict:
    return {"organisation_id": world.extra["managerless"]}


def _appoint(world: World) -> dict:
    prefix = f"appoint-{world.extra['managerless']}"
    return {f"{prefix}-member": str(world.extra["managerless_member"]),
            f"{prefix}-reason": "会員の推薦があったため"}


def _archive(world: World) -> dict:
    return {f"archive-{world.extra['managerless']}-reason": "活動を終えたため"}


ENTRIES = [
    Access("staff.managerless", "GET", staff_only(200)),
    Access("staff.appoint_manager", "POST", staff_only(302), args=_organisation, data=_appoint),
    Access("staff.archive_organisation", "POST", staff_only(302), args=_organisation,
           data=_archive),
]
