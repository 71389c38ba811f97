"""The rows every access test starts from (the access table, the hostile-input test and
the API fuzz share them). A helper module, not a test module: tests import it."""

from __future__ import annotations

from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Role,
    UserStatus,
)
from komoro_engage.extensions import db
from tests.access import Extras, World, feature_modules
from tests.factories import make_organisation, make_user

# HEAD and OPTIONS are answered by Flask for every GET route: not the app's own code.
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def build_world() -> World:
    """The rows every access test starts from; call inside an app context."""
    users = {
        "resident_a": make_user(nickname="表の住民A"),
        "resident_b": make_user(nickname="表の住民B"),
        "org_manager": make_user(nickname="表の管理者"),
        "staff": make_user(role=Role.STAFF, nickname="表の職員"),
        "admin": make_user(role=Role.ADMIN, nickname="表の管理人"),
    }
    organisation = make_organisation(users["org_manager"], name="アクセス表の団体")
    applicant = make_user(nickname="表の申込者")
    member = Membership(organisation_id=organisation.id, user_id=users["resident_a"].id,
                        role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE)
    request = Membership(organisation_id=organisation.id, user_id=applicant.id,
                         role=MembershipRole.MEMBER, status=MembershipStatus.REQUESTED)
    db.session.add_all([member, request])
    subject = make_user(nickname="表の対象者")
    suspended = make_user(nickname="表の停止者", status=UserStatus.SUSPENDED)
    for user in (*users.values(), applicant, subject, suspended):
        user.real_name, user.age_band = f"実名{user.id}", "70_plus"
    db.session.flush()
    # Age bands are shared categories (they appear as select options); emails and names
    # are unique, so finding one on a page means it leaked.
    private = {name: [user.email, user.real_name] for name, user in users.items()}
    private["others"] = [u.email for u in (applicant, subject, suspended)] + [
        u.real_name for u in (applicant, subject, suspended)]
    world = World(users={name: user.id for name, user in users.items()},
                  organisation=organisation.id, member_membership=member.id,
                  request_membership=request.id, subject=subject.id, suspended=suspended.id,
                  extra=Extras(private=private))
    for module in feature_modules():
        if hasattr(module, "build"):
            module.build(world)
    db.session.commit()
    return world
