"""The proposal page's proposal, with whether its signed-in reader supports it and the
city's answer and proxy entry (``lifecycle/record.city_record`` finds them kept).

The support button asked its own statement after the proposal was loaded: on
PostgreSQL a round trip (issue 16). On a read request the answer rides on the
proposal's statement and is kept for the request (``core/request_facts.known``), where
``engagement.has_supported`` finds it; a request that writes (supporting, then showing
the button) asks after its writes, as before.
"""

from __future__ import annotations

import functools

from flask import has_request_context
from sqlalchemy import bindparam

from komoro_engage.core.request_facts import (
    READER_ID,
    asks_facts,
    item_fact_columns,
    keep_answers,
    keep_item_facts,
    reader_id,
)
from komoro_engage.core.sql import one_row_or_404
from komoro_engage.plan.menus import keep_links
from komoro_engage.proposals.engagement import supported_key, supports
from komoro_engage.proposals.lifecycle.record import keep_record_parts, with_answer_and_proxy
from komoro_engage.proposals.models import Proposal
from komoro_engage.proposals.plan_menus import PLAN_LINKS
from komoro_engage.proposals.queries import proposal_page_statement


@functools.cache
def _statement(with_reader: bool):
    statement = with_answer_and_proxy(proposal_page_statement()).add_columns(
        *PLAN_LINKS.columns(bindparam("proposal_id")))
    if with_reader:
        statement = statement.add_columns(
            supports(Proposal.id, bindparam(READER_ID)).label("supported"),
            *item_fact_columns("proposal", Proposal.id))
    return statement


def proposal_page(proposal_id: int) -> Proposal:
    """A proposal for its own page, or 404.

    The city's answer and proxy entry and the ids of its plan links ride on the statement
    too, kept on read requests for ``city_record`` and ``plan_menus.links``: the same for
    every reader."""
    reader = reader_id()
    params = {"proposal_id": proposal_id}
    if reader is not None:
        params[READER_ID] = reader
    row = one_row_or_404(_statement(reader is not None), params)
    if has_request_context() and asks_facts():
        keep_record_parts(proposal_id, row)  # the answer, proxy entry, any measure link
        keep_links(PLAN_LINKS, proposal_id, row)
    if reader is not None:
        keep_answers({supported_key(proposal_id, reader): bool(row.supported)})
        keep_item_facts("proposal", proposal_id, reader, row)  # do they follow it?
    return row.Proposal
