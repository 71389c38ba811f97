"""Every status change of a project, in one table.

``TRANSITIONS[action]`` lists the statuses the action may start from and the
status it leads to. :func:`komoro_engage.projects.services.change_status` is the
only writer of ``Project.status``.
"""

from __future__ import annotations

from komoro_engage.projects.models import ProjectStatus as S

TRANSITIONS: dict[str, tuple[frozenset[S], S]] = {
    # 準備中 → 参加者募集中: people may join.
    "open_recruiting": (frozenset({S.PLANNING}), S.RECRUITING),
    # The work starts; small projects may skip recruiting.
    "start": (frozenset({S.PLANNING, S.RECRUITING}), S.ACTIVE),
    "complete": (frozenset({S.ACTIVE}), S.COMPLETED),
    "cancel": (frozenset({S.PLANNING, S.RECRUITING, S.ACTIVE}), S.CANCELLED),
}

# Entering either marks the project as running (``Project.opened_at``).
OPEN_AFTER = frozenset({S.RECRUITING, S.ACTIVE})
# Where people may join, leave and RSVP.
JOINABLE_STATUSES = frozenset({S.RECRUITING, S.ACTIVE})
# Finished projects are read-only apart from their reports.
CLOSED_STATUSES = frozenset({S.COMPLETED, S.CANCELLED})


class TransitionNotAllowed(ValueError):
    """The action does not apply to a project in its current status."""


def can_apply(action: str, status: str) -> bool:
    return action in TRANSITIONS and status in TRANSITIONS[action][0]


def target_of(action: str, status: str) -> S:
    """The status ``action`` leads to from ``status``, or raise :class:`TransitionNotAllowed`."""
    if not can_apply(action, status):
        raise TransitionNotAllowed(f"{action} is not allowed from {status}")
    return TRANSITIONS[action][1]
