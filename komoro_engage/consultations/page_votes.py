"""What the consultation page shows of the votes, for a signed-in participant, from one
statement where it can: the results table, their own votes and the card to vote on next.

The page asked three statements: the published statements' tallies, the person's votes
and the next card with how many remain. The tallies list every published statement
when there are fewer than ``TALLY_LIMIT`` (a consultation of a city this size has a few
dozen): read with the person's own vote beside each and what the card's order needs,
the other two are worked out from those rows in Python, the same rows the other two
statements would have read. On PostgreSQL each statement is a round trip: the page's
statements about the votes, 3, became 1 (issue 16). A consultation with more published
statements asks the two statements as before.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam

from komoro_engage.accounts.models import User
from komoro_engage.consultations import queries
from komoro_engage.consultations.models import Statement, StatementVote
from komoro_engage.consultations.queries import MyVote, TalliedStatement, Tally, VotedStatement
from komoro_engage.extensions import db


class PageVotes(NamedTuple):
    tallies: list[Tally]
    my_votes: list[MyVote]
    card: TalliedStatement | None  # what the card shows: id, text, is_proxy, proxy_source
    remaining: int


@functools.cache
def _with_readers_vote(tallies: Select) -> Select:
    """``queries.TALLIES``, then the card's order (votes, created_at, id), its author and the
    reader's own vote, if any. Built once (every signed-in participant's view asks it),
    for the tallies' statement as it is (a test may make its limit smaller)."""
    return (tallies.add_columns(Statement.vote_count, Statement.created_at, Statement.author_id,
                                StatementVote.value.label("my_vote"),
                                StatementVote.updated_at.label("voted_at"),
                                StatementVote.id.label("vote_id"))
            .outerjoin(StatementVote, and_(StatementVote.statement_id == Statement.id,
                                           StatementVote.user_id == bindparam("user_id"))))


def page_votes(consultation_id: int, user: User) -> PageVotes:
    """The tallies, ``user``'s votes (latest first) and their next card and how many
    remain, as ``queries.tallies``, ``queries.my_votes`` and ``queries.next_statement``
    give them (1 statement; 3 when the tallies do not hold every published statement)."""
    rows = db.session.execute(_with_readers_vote(queries.TALLIES), {
        "consultation_id": consultation_id, "user_id": user.id}).all()
    tallies = [queries.tally_of(row) for row in rows]
    if not queries.holds_every_published(rows):
        card, remaining = queries.next_statement(consultation_id, user)
        return PageVotes(tallies, queries.my_votes(consultation_id, user), card, remaining)
    voted = sorted((row for row in rows if row.my_vote is not None),
                   key=lambda row: (row.voted_at, row.vote_id), reverse=True)
    # Least voted first, then newest: the first of the least voted in newest-first order.
    open_to_vote = sorted((row for row in rows
                           if row.my_vote is None and row.author_id != user.id),
                          key=lambda row: (row.created_at, row.id), reverse=True)
    card = min(open_to_vote, key=lambda row: row.vote_count, default=None)
    return PageVotes(
        tallies, [MyVote(VotedStatement(row.id, row.text), row.my_vote) for row in voted],
        None if card is None else TalliedStatement(*card[:4]), len(open_to_vote))
