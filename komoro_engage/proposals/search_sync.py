"""Keeps the search index in step with what the public can see.

Only public proposals are indexed, so a search can never reveal a draft, a
pending or a hidden proposal, even by the count of its matches.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.sql.elements import ColumnElement

from komoro_engage.proposals.models import Proposal
from komoro_engage.search.services import index_item, remove_item
from komoro_engage.search.words import matches

SEARCH_KIND = "proposal"


def sync(proposal: Proposal) -> None:
    """Index title and body of a public proposal; drop anything else from the index."""
    if proposal.is_public:
        index_item(SEARCH_KIND, proposal.id, proposal.title, proposal.body)
    else:
        remove_item(SEARCH_KIND, proposal.id)


def condition(query: str, walk: bool = False) -> ColumnElement | None:
    """WHERE clause: the proposal matches every word of ``query``; None if nothing searchable.

    ``walk``: for a page read along a sort index when many proposals match.
    """
    return matches(SEARCH_KIND, query, Proposal.id, Proposal.title, Proposal.body, walk=walk)


def matching(query: str) -> Select | None:
    """Ids of public proposals matching every word of ``query``; None if nothing searchable."""
    where = condition(query)
    return None if where is None else select(Proposal.id).where(where)
