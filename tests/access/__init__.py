"""The access table: for every route and method, the status each persona must get.

Each feature keeps its entries in its own module here (``core.py``, ``plan.py``,
``accounts.py`` …) exporting ``ENTRIES``; ``MODULES`` lists them. A module may also
define ``build(world)`` to add rows of its own (their ids go in ``world.extra``). A route with no
entry fails ``tests/security/test_access_table.py``, so adding a route means
deciding who may use it.

Personas: ``anonymous``; ``resident_a`` (an active member, not manager, of the
world's organisation); ``resident_b`` (no membership); ``org_manager`` (manager
of that organisation); ``staff``; ``admin``. ``World`` holds the ids of the rows
every test starts with; entries take URL arguments and form data from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

PERSONAS = ("anonymous", "resident_a", "resident_b", "org_manager", "staff", "admin")
SIGNED_IN = PERSONAS[1:]

# Feature modules of tests/access. Other features add a line here.
MODULES = ("core", "plan", "accounts", "media", "proposals", "comments", "notifications",
           "evaluation", "staff", "projects", "stewardship", "text_maps", "budgeting",
           "consultations", "surveys", "handling", "newsletters")


class Extras(dict):
    """``World.extra``: a key keeps its first value, so two features' ``build`` cannot
    give the same name to different rows (a survey's indicator link once replaced the
    staff's measure link, and ``staff.unlink`` met a row that was not there)."""

    def __setitem__(self, key, value):
        if key in self and self[key] != value:
            raise KeyError(f"world.extra[{key!r}] is already another row's, set by another "
                           "feature's build")
        super().__setitem__(key, value)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


@dataclass
class World:
    """Ids of the rows created for each access test (see ``build_world``)."""

    users: dict[str, int]
    organisation: int
    member_membership: int  # resident_a's active membership
    request_membership: int  # a pending join request by an applicant
    subject: int  # an ordinary account admins act on
    suspended: int  # a suspended account
    extra: dict[str, Any] = field(default_factory=Extras)  # for other features' rows


Value = dict | Callable[[World], dict]


@dataclass(frozen=True)
class Access:
    """Who gets which status from ``method`` on ``endpoint``."""

    endpoint: str
    method: str
    expect: dict[str, int]
    args: Value = field(default_factory=dict)
    data: Value = field(default_factory=dict)
    # Requires signing in (anonymous → sign-in page). Derived when None: anonymous gets
    # 302 while someone signed in gets something else.
    protected: bool | None = None

    @property
    def requires_sign_in(self) -> bool:
        if self.protected is not None:
            return self.protected
        return self.expect["anonymous"] == 302 and any(
            self.expect[p] != 302 for p in SIGNED_IN)

    def url_args(self, world: World) -> dict:
        return self.args(world) if callable(self.args) else dict(self.args)

    def form(self, world: World) -> dict:
        return self.data(world) if callable(self.data) else dict(self.data)

    @property
    def key(self) -> tuple[str, str]:
        return self.endpoint, self.method


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def signed_in(status: int = 200, anonymous: int = 302) -> dict[str, int]:
    """Any signed-in person; anonymous visitors are sent to sign in."""
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def staff_only(status: int = 200) -> dict[str, int]:
    return {"anonymous": 302, "resident_a": 403, "resident_b": 403, "org_manager": 403,
            "staff": status, "admin": status}


def admin_only(status: int = 200) -> dict[str, int]:
    return {**staff_only(status), "staff": 403}


def managers_only(status: int = 200) -> dict[str, int]:
    """Managers of the world's organisation (staff and admins do not manage it)."""
    return {"anonymous": 302, "resident_a": 403, "resident_b": 403, "org_manager": status,
            "staff": 403, "admin": 403}


def expect(anonymous: int, resident_a: int, resident_b: int, org_manager: int, staff: int,
           admin: int) -> dict[str, int]:
    return dict(zip(PERSONAS, (anonymous, resident_a, resident_b, org_manager, staff, admin),
                    strict=True))


def feature_modules():
    return [import_module(f"tests.access.{name}") for name in MODULES]


def all_entries() -> list[Access]:
    entries: list[Access] = []
    for name in MODULES:
        entries.extend(import_module(f"tests.access.{name}").ENTRIES)
    return entries
