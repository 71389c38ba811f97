"""The page's votes worked out from the tallies' rows (consultations/page_votes.py) are
what the statements of their own give: the card, how many remain and one's votes, in the
same order, whether the rows hold every published statement or not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from komoro_engage.consultations import queries
from komoro_engage.consultations.models import AGREE, DISAGREE, PASS, StatementStatus
from komoro_engage.consultations.page_votes import page_votes
from komoro_engage.consultations.services import cast_vote
from komoro_engage.core import clock
from komoro_engage.extensions import db
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user


def asked_apart(consultation_id: int, user) -> tuple:
    """The card's id, how many remain and one's votes, from their own statements."""
    card, remaining = queries.next_statement(consultation_id, user)
    return (None if card is None else card.id, remaining,
            queries.my_votes(consultation_id, user))


def from_the_rows(consultation_id: int, user) -> tuple:
    found = page_votes(consultation_id, user)
    assert found.tallies == queries.tallies(consultation_id)
    return (None if found.card is None else found.card.id, found.remaining, found.my_votes)


@pytest.mark.parametrize("tally_limit", [queries.TALLY_LIMIT, 4])
def test_the_card_remaining_and_ones_votes_are_those_of_their_own_statements(
        ctx, monkeypatch, tally_limit):
    monkeypatch.setattr(queries, "TALLY_LIMIT", tally_limit)
    monkeypatch.setattr(queries, "TALLIES", queries.TALLIES.limit(tally_limit))
    reader, others = make_user(), [make_user() for _ in range(3)]
    consultation = make_consultation(seeds=())
    start = clock.now() - timedelta(days=2)
    # Ties on purpose: equal vote counts, and two statements created at the same moment
    # (the newer id comes first).
    made = [make_statement(consultation, f"意見{n}", created_at=start + timedelta(hours=n // 2))
            for n in range(8)]
    own = make_statement(consultation, "自分の意見", author=reader)
    make_statement(consultation, "確認待ちの意見", status=StatementStatus.PENDING)
    make_statement(make_consultation(seeds=()), "別の相談の意見")
    for n, statement in enumerate(made[:5]):
        for person in others[:1 + n % 3]:
            cast_vote(person, statement, (AGREE, DISAGREE, PASS)[n % 3])
    db.session.flush()
    db.session.expire_all()
    seen = [from_the_rows(consultation.id, reader)]
    assert seen[0] == asked_apart(consultation.id, reader)
    assert seen[0] == (made[7].id, 8, [])  # least voted, then newest; never one's own
    for minute, (statement, value) in enumerate((
            (made[6], AGREE), (made[1], DISAGREE), (made[7], PASS),
            (made[1], AGREE))):  # a changed vote moves to the top
        with clock.freeze(start + timedelta(days=1, minutes=minute)):
            cast_vote(reader, statement, value)
        db.session.flush()
        db.session.expire_all()
        seen.append(from_the_rows(consultation.id, reader))
        assert seen[-1] == asked_apart(consultation.id, reader)
    assert [vote.statement.id for vote in seen[-1][2]] == [made[1].id, made[7].id, made[6].id]
    assert own.id not in {card for card, _remaining, _mine in seen}
