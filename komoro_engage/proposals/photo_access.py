"""Who may see a proposal's photos (media's access registry): anyone once the proposal is
public; otherwise only those who may read its text (its author, staff), and no cache."""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.media import access
from komoro_engage.media.access import Sight
from komoro_engage.media.models import Photo
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal, ProposalPhoto
from komoro_engage.proposals.permissions import can_read_text


def photo_sight(photo: Photo, user: User | None) -> Sight | None:
    """How ``user`` may see ``photo`` through the proposals showing it; None if none do."""
    proposals = db.session.scalars(select(Proposal).join(ProposalPhoto).where(
        ProposalPhoto.photo_id == photo.id)).all()
    if not proposals:
        return None
    return max(Sight.PUBLIC if proposal.status in PUBLIC_STATUSES
               else Sight.PRIVATE if can_read_text(user, proposal)
               else Sight.NONE
               for proposal in proposals)


def register() -> None:
    access.register("proposal", photo_sight)
