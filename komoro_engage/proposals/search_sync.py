"""Keeps the search index in step with what the public can see.

Public proposals are indexed as ``"proposal"``, every other one (pending, sent back,
hidden, withdrawn, drafts) as ``"proposal_private"``: each proposal is in exactly one
of the two, so the public lists, which read only the first, can never reveal a draft,
a pending or a hidden proposal, even by the count of its matches, while the staff
console's search (staff/find.py) reads both.
"""

from __future__ import annotations

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from komoro_engage.proposals.models import Proposal
from komoro_engage.search import words
from komoro_engage.search.services import index_item, remove_item
from komoro_engage.search.words import matches, shaped_matches

SEARCH_KIND = "proposal"
PRIVATE_KIND = "proposal_private"


def sync(proposal: Proposal) -> None:
    """Index title and body under the kind of the proposal's visibility; drop the other."""
    shown, other = ((SEARCH_KIND, PRIVATE_KIND) if proposal.is_public
                    else (PRIVATE_KIND, SEARCH_KIND))
    remove_item(other, proposal.id)
    index_item(shown, proposal.id, proposal.title, proposal.body)


def condition(query: str, walk: bool = False) -> ColumnElement | None:
    """WHERE clause: the proposal matches every word of ``query``; None if nothing searchable.

    ``walk``: for a page read along a sort index when many proposals match.
    """
    return matches(SEARCH_KIND, query, Proposal.id, Proposal.title, Proposal.body, walk=walk)


def shaped_condition(names, walk: bool = False, bind=bindparam) -> ColumnElement | None:
    """:func:`condition` with the query's grams and words as the bound parameters
    ``names`` (of ``search.words.search_values``) made by ``bind``; None if there are
    none."""
    return shaped_matches(SEARCH_KIND, names, Proposal.id, Proposal.title, Proposal.body,
                          walk=walk, bind=bind)


def shaped_candidates(names, bind=bindparam) -> Subquery | None:
    """The public proposals a query's grams find, to join for a count
    (``search.words.shaped_candidates``); None where the query's words need verifying."""
    return words.shaped_candidates(SEARCH_KIND, names, bind)


def any_status_condition(query: str) -> ColumnElement | None:
    """WHERE clause for staff: a proposal in any status matches every word of ``query``;
    None if nothing searchable."""
    public = condition(query)
    if public is None:
        return None
    private = matches(PRIVATE_KIND, query, Proposal.id, Proposal.title, Proposal.body)
    return or_(public, private)


def matching(query: str) -> Select | None:
    """Ids of public proposals matching every word of ``query``; None if nothing searchable."""
    where = condition(query)
    return None if where is None else select(Proposal.id).where(where)
