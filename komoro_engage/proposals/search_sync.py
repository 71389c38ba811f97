"""Keeps the search index in step with what the public can see."""

from __future__ import annotations

from sqlalchemy import Select

from komoro_engage.proposals.models import Proposal

SEARCH_KIND = "proposal"


def sync(proposal: Proposal) -> None:
    """Index title and body of a public proposal; drop anything else from the index."""
    # Filled in once the search index (media-search branch) is merged.
    return None


def matching(query: str) -> Select | None:
    """Ids of proposals whose indexed text matches ``query``."""
    # Filled in once the search index (media-search branch) is merged.
    return None
