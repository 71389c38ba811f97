"""Build rows for tests. Each helper flushes so the row has an id; call inside an app context."""

from __future__ import annotations

import itertools
import unicodedata

from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from komoro_engage.core import clock
from komoro_engage.extensions import db

_sequence = itertools.count(1)


def make_user(role: Role = Role.RESIDENT, nickname: str | None = None, **fields) -> User:
    n = next(_sequence)
    nickname = nickname or f"こもろ太郎{n}"
    user = User(
        email=fields.pop("email", f"user{n}@example.jp"),
        nickname=nickname,
        nickname_key=unicodedata.normalize("NFKC", nickname).casefold(),
        role=role,
        email_verified_at=fields.pop("email_verified_at", clock.now()),
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_organisation(manager: User | None = None, name: str | None = None, **fields):
    n = next(_sequence)
    name = name or f"こもろ里山の会{n}"
    organisation = Organisation(
        name=name,
        name_key=unicodedata.normalize("NFKC", name).casefold(),
        kind=fields.pop("kind", OrganisationKind.COMMUNITY_GROUP),
        **fields,
    )
    db.session.add(organisation)
    db.session.flush()
    if manager is not None:
        db.session.add(Membership(organisation=organisation, user=manager,
                                  role=MembershipRole.MANAGER, status=MembershipStatus.ACTIVE))
        db.session.flush()
    return organisation
