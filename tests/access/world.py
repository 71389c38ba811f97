"""The rows every access test starts from (the access table, the hostile-input test and
the API fuzz share them). A helper module, not a test module: tests import it."""

from __future__ import annotations

import time
from pathlib import Path

from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

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


class SharedWorld:
    """The world built once on a connection of its own, in a transaction never committed;
    each test runs in a savepoint of it, rolled back afterwards, so every test starts
    from the same rows as if it had built them itself.

    Building the world stores a real photo (a decoder child process) and some hundred
    rows: done for each of a thousand access tests, it was most of their time. Files
    are outside the transaction, so the world's files that a test deleted (after a
    commit of its own) are put back. A world older than ``MAX_AGE`` seconds is built
    afresh, so time windows (a comment stays editable for 15 minutes) hold for it as
    they would for a world built by the test itself.
    """

    MAX_AGE = 300

    def __init__(self, app):
        self.app = app
        self.connection = None
        self.world: World | None = None

    def _build(self) -> None:
        with self.app.app_context():
            self.connection = db.engine.connect()
        self.transaction = self.connection.begin()
        storage = Path(self.app.config["STORAGE_DIR"])
        before = set(storage.rglob("*"))
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=self.connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id)
        try:
            with self.app.app_context():
                self.world = build_world()
                db.session.remove()
        finally:
            db.session = original
        self.built_at = time.monotonic()
        self.files = {path: path.read_bytes() for path in set(storage.rglob("*")) - before
                      if path.is_file()}

    def close(self) -> None:
        if self.connection is not None:
            self.transaction.rollback()
            self.connection.close()
            self.connection = None

    def savepoint(self):
        """A connection in a new savepoint over the world, for one test."""
        if self.connection is None or time.monotonic() - self.built_at > self.MAX_AGE:
            self.close()
            self._build()
        for path, data in self.files.items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        return self.connection.begin_nested()
