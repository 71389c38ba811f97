"""A person's proposals when they delete their account (APPI); comments see comments/erasure.py.

Kept posts need nothing here: templates show a deleted author through
``display_name`` as 「退会したユーザー」. Removed posts lose their words and
photos at once; the rows stay so that other people's supports, comments and
the city's answers keep their place, and withdrawable proposals are withdrawn.
"""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.erasure import register_export_section, register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.comments.erasure import export_comments
from komoro_engage.extensions import db
from komoro_engage.media.services import delete_photo
from komoro_engage.plan.places import set_place
from komoro_engage.proposals import search_sync
from komoro_engage.proposals.lifecycle.states import can_apply
from komoro_engage.proposals.models import Proposal, Support
from komoro_engage.proposals.services import withdraw_proposal

REMOVED_TITLE = "（投稿者の退会により削除されました）"
REMOVED_BODY = "この提案の内容は、投稿者の退会にあたり本人の希望で削除されました。"


def erase_posts(user: User, remove: bool) -> list[str]:
    """Remove ``user``'s proposals when they asked for it; else keep them.
    Returns the removed titles and bodies. The exact point of a place was theirs alone
    (issue 21): it goes either way; a kept proposal keeps its public, snapped place."""
    proposals = list(db.session.scalars(select(Proposal).where(Proposal.author_id == user.id)))
    for proposal in proposals:
        proposal.latitude = proposal.longitude = None
    db.session.flush()
    if not remove:
        return []
    removed = []
    for proposal in proposals:
        removed += [proposal.title, proposal.body]
        set_place(proposal, None, None)
        if can_apply("withdraw", proposal.status):
            withdraw_proposal(proposal)
        for link in list(proposal.photo_links):
            db.session.delete(link)
            delete_photo(link.photo)
        proposal.title, proposal.body = REMOVED_TITLE, REMOVED_BODY
        db.session.flush()
        search_sync.sync(proposal)
    return removed


def export_posts(user: User) -> dict:
    """The person's proposals, comments and supports, for their data download."""
    proposals = db.session.scalars(select(Proposal).where(Proposal.author_id == user.id))
    supports = db.session.scalars(select(Support.proposal_id).where(Support.user_id == user.id))
    return {
        "proposals": [{"id": p.id, "title": p.title, "body": p.body, "status": str(p.status),
                       "created_at": p.created_at.isoformat(),
                       "exact_point": ([p.latitude, p.longitude]
                                       if p.latitude is not None else None)}
                      for p in proposals],
        "comments": export_comments(user),
        "supported_proposal_ids": list(supports),
    }


def register() -> None:
    register_post_handler(erase_posts)
    register_export_section("proposals", export_posts)
