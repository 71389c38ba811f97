"""Who may see a photo, and whether anyone may keep a copy: the features that show
photos answer (a registry, like comments' commentable kinds).

A photo belongs to whatever links it: a proposal, a progress report. Each feature
registers a function that, for one photo, says how the person asking may see it
through that feature, or ``None`` when it does not link the photo:

- ``Sight.PUBLIC``: shown on a public page; anyone may fetch it and any cache keep it.
- ``Sight.PRIVATE``: this person may see it (an author's draft, staff reviewing a
  pending or hidden proposal), but it is not public: ``private, no-store``.
- ``Sight.NONE``: not for this person: the photo answers 404, as if it did not exist.

The most open answer wins (a photo on one public page is public). A photo nothing
links yet (an upload whose form is still being saved) is its uploader's and staff's.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import is_staff
from komoro_engage.media.models import Photo


class Sight(IntEnum):
    NONE = 0
    PRIVATE = 1
    PUBLIC = 2


Resolver = Callable[[Photo, User | None], Sight | None]
_resolvers: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver) -> None:
    """``resolver(photo, user)`` answers for the photos that ``kind`` links."""
    _resolvers[kind] = resolver


def sight(photo: Photo, user: User | None) -> Sight:
    """How ``user`` (None or anonymous: a visitor) may see ``photo``."""
    answers = [answer for resolver in _resolvers.values()
               if (answer := resolver(photo, user)) is not None]
    if answers:
        return max(answers)
    return Sight.PRIVATE if _is_uploader(user, photo) or is_staff(user) else Sight.NONE


def _is_uploader(user: User | None, photo: Photo) -> bool:
    return bool(user is not None and user.is_authenticated and photo.uploader_id == user.id)
