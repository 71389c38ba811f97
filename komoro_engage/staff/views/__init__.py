"""The staff console's screens, one module per group; their URLs are listed in
``staff/blueprint.py``. Every screen starts with :func:`acting_user` (403 for non-staff).
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from komoro_engage.accounts.models import User
from komoro_engage.proposals.models import Proposal
from komoro_engage.proposals.queries import proposal_detail
from komoro_engage.staff import permissions


def acting_user() -> User:
    """The signed-in staff member, or 403 for everyone else."""
    if not permissions.can_use_console(current_user):
        abort(403)
    return current_user._get_current_object()


def load_proposal(proposal_id: int) -> Proposal:
    """A proposal for a staff screen: 403 for non-staff first, then 404."""
    acting_user()
    return proposal_detail(proposal_id)
