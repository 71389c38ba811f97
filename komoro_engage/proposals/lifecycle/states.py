"""Every status change of a proposal, in one table.

``TRANSITIONS[action]`` lists the statuses the action may start from and the
status it leads to. Services call :func:`apply_transition`; nothing else assigns
``Proposal.status``.
"""

from __future__ import annotations

from komoro_engage.proposals.models import ProposalStatus as S

TRANSITIONS: dict[str, tuple[frozenset[S], S | None]] = {
    # The author submits a draft: to review when pre-moderation is on …
    "submit_for_review": (frozenset({S.DRAFT}), S.PENDING),
    # … or straight to the public when it is off.
    "submit_public": (frozenset({S.DRAFT}), S.PUBLISHED),
    # Staff decide on a pending proposal.
    "approve": (frozenset({S.PENDING}), S.PUBLISHED),
    "send_back": (frozenset({S.PENDING}), S.DRAFT),
    # The support threshold or staff start the review; the answer decides it (answers.py).
    "start_review": (frozenset({S.PUBLISHED}), S.UNDER_REVIEW),
    "adopt": (frozenset({S.UNDER_REVIEW}), S.ADOPTED),
    "decline": (frozenset({S.UNDER_REVIEW}), S.NOT_ADOPTED),
    # The author may withdraw until the city has decided.
    "withdraw": (frozenset({S.DRAFT, S.PENDING, S.PUBLISHED, S.UNDER_REVIEW}), S.WITHDRAWN),
    # Moderation or enough reports hide it; staff restore it to where it was.
    "hide": (frozenset({S.PENDING, S.PUBLISHED, S.UNDER_REVIEW, S.ADOPTED, S.NOT_ADOPTED}),
             S.HIDDEN),
    "restore": (frozenset({S.HIDDEN}), None),  # None: back to status_before_hidden
}

# The author may still change the text while nobody else can see it.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.PENDING})
# Staff may publish or revise the city's answer on these.
ANSWERABLE = (S.PUBLISHED, S.UNDER_REVIEW, S.ADOPTED, S.NOT_ADOPTED)
# Links make sense for anything the public can see or staff are still deciding on.
LINKABLE = (*ANSWERABLE, S.PENDING, S.HIDDEN)


class TransitionNotAllowed(ValueError):
    """The action does not apply to a proposal in its current status."""


def can_apply(action: str, status: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return status in sources


def apply_transition(proposal, action: str) -> S:
    """Move ``proposal`` along ``action`` or raise :class:`TransitionNotAllowed`."""
    sources, target = TRANSITIONS[action]
    if proposal.status not in sources:
        raise TransitionNotAllowed(f"{action} is not allowed from {proposal.status}")
    if action == "hide":
        proposal.status_before_hidden = proposal.status
    if target is None:
        target = S(proposal.status_before_hidden or S.PUBLISHED)
        proposal.status_before_hidden = None
    proposal.status = target
    return target
