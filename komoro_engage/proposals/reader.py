"""The proposal page's proposal, with whether its signed-in reader supports it.

The support button asked its own statement after the proposal was loaded: on
PostgreSQL a round trip (issue 16). On a read request the answer rides on the
proposal's statement and is kept for the request (``core/request_facts.known``), where
``engagement.has_supported`` finds it; a request that writes (supporting, then showing
the button) asks after its writes, as before.
"""

from __future__ import annotations

import functools

from sqlalchemy import bindparam

from komoro_engage.core.request_facts import READER_ID, keep_answers, reader_id
from komoro_engage.core.sql import one_or_404, one_row_or_404
from komoro_engage.proposals.engagement import supported_key, supports
from komoro_engage.proposals.models import Proposal
from komoro_engage.proposals.queries import proposal_page_statement


@functools.cache
def _with_reader():
    return proposal_page_statement().add_columns(
        supports(Proposal.id, bindparam(READER_ID)).label("supported"))


def proposal_page(proposal_id: int) -> Proposal:
    """A proposal for its own page, or 404: the plan links come from ``plan_menus.links``."""
    reader = reader_id()
    if reader is None:
        return one_or_404(proposal_page_statement(), {"proposal_id": proposal_id})
    row = one_row_or_404(_with_reader(), {"proposal_id": proposal_id, READER_ID: reader})
    keep_answers({supported_key(proposal_id, reader): bool(row.supported)})
    return row.Proposal
