"""The vote counts the database keeps (consultations/vote_counts.py) are the votes there are.

The consultation page reads each statement's 賛成 / 反対 / パス and the consultation's votes
and participants from them instead of counting every vote on each view (issue 16), so
they must move with every new, changed and repeated vote, whatever writes it.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select

from komoro_engage.consultations import queries
from komoro_engage.consultations.models import (
    AGREE,
    DISAGREE,
    PASS,
    Consultation,
    Statement,
    StatementVote,
)
from komoro_engage.consultations.services import cast_vote
from komoro_engage.core import clock
from komoro_engage.extensions import db
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user


def counted_afresh(consultation_id: int) -> tuple[dict, tuple[int, int]]:
    """Each statement's (votes, 賛成, 反対, パス) and the consultation's (votes, participants),
    counted from the votes."""
    by_statement = {}
    for statement_id, value, count in db.session.execute(
            select(StatementVote.statement_id, StatementVote.value, func.count())
            .where(StatementVote.consultation_id == consultation_id)
            .group_by(StatementVote.statement_id, StatementVote.value)):
        counts = by_statement.setdefault(statement_id, [0, 0, 0, 0])
        counts[0] += count
        counts[{AGREE: 1, DISAGREE: 2, PASS: 3}[value]] += count
    turnout = db.session.execute(
        select(func.count(), func.count(func.distinct(StatementVote.user_id)))
        .where(StatementVote.consultation_id == consultation_id)).one()
    return {k: tuple(v) for k, v in by_statement.items()}, tuple(turnout)


def kept(consultation_id: int) -> tuple[dict, tuple[int, int]]:
    """The same counts as the database keeps them."""
    db.session.expire_all()
    statements = db.session.scalars(select(Statement).where(
        Statement.consultation_id == consultation_id))
    consultation = db.session.get(Consultation, consultation_id)
    return ({s.id: (s.vote_count, s.agree_count, s.disagree_count, s.pass_count)
             for s in statements if s.vote_count},
            (consultation.vote_count, consultation.participant_count))


def test_new_changed_and_repeated_votes_move_the_kept_counts(ctx):
    consultation = make_consultation(seeds=())
    first, second = make_statement(consultation, "ベンチを増やす"), make_statement(
        consultation, "街灯を増やす")
    people = [make_user() for _ in range(3)]
    cast_vote(people[0], first, AGREE)
    db.session.flush()
    assert kept(consultation.id) == ({first.id: (1, 1, 0, 0)}, (1, 1))
    cast_vote(people[0], second, PASS)  # the same person: a vote more, no participant
    cast_vote(people[1], first, DISAGREE)
    cast_vote(people[2], first, PASS)
    cast_vote(people[0], first, DISAGREE)  # changed: one from 賛成 to 反対
    cast_vote(people[1], first, DISAGREE)  # the same again: nothing moves
    cast_vote(people[2], first, AGREE)  # changed: パス to 賛成
    db.session.flush()
    assert kept(consultation.id) == (
        {first.id: (3, 1, 2, 0), second.id: (1, 0, 0, 1)}, (4, 3))
    assert kept(consultation.id) == counted_afresh(consultation.id)


def test_votes_written_without_the_service_are_counted_too(ctx):
    """The demo writes its votes in one bulk insert: the triggers count those too."""
    consultation = make_consultation(seeds=())
    statements = [make_statement(consultation, f"意見{n}") for n in range(3)]
    people = [make_user() for _ in range(4)]
    now = clock.now()
    db.session.execute(insert(StatementVote.__table__), [
        {"statement_id": s.id, "user_id": p.id, "consultation_id": consultation.id,
         "value": (AGREE, DISAGREE, PASS)[(i + j) % 3], "created_at": now, "updated_at": now}
        for i, s in enumerate(statements) for j, p in enumerate(people) if (i, j) != (2, 3)])
    found = kept(consultation.id)
    assert found == counted_afresh(consultation.id)
    assert found[1] == (11, 4)


def test_tallies_and_turnout_count_each_consultation_apart(ctx):
    ours, other = make_consultation(), make_consultation()
    first, second = make_statement(ours, "ベンチを増やす"), make_statement(ours, "街灯を増やす")
    elsewhere = make_statement(other, "別の相談の意見")
    people = [make_user() for _ in range(3)]
    for person, value in zip(people, (AGREE, DISAGREE, AGREE), strict=True):
        cast_vote(person, first, value)
    cast_vote(people[0], second, PASS)
    cast_vote(people[0], first, DISAGREE)  # a changed vote counts once, as changed
    cast_vote(people[1], elsewhere, AGREE)
    db.session.flush()
    db.session.expire_all()
    counts = {tally.statement.id: (tally.agree, tally.disagree, tally.passed)
              for tally in queries.tallies(ours.id)}
    # (the consultation's own seed statements, if any, have no votes)
    assert counts.pop(first.id) == (1, 2, 0) and counts.pop(second.id) == (0, 0, 1)
    assert set(counts.values()) <= {(0, 0, 0)}
    assert queries.consultation_with_turnout(ours.id)[1] == (3, 4, 2 + len(counts))
    others = len(queries.tallies(other.id))
    assert queries.consultation_with_turnout(other.id)[1] == (1, 1, others)


def test_the_page_reads_the_kept_counts_not_the_votes(ctx):
    """The tallies and the turnout must not grow with the votes: neither reads a vote."""
    for statement in (queries.TALLIES, queries._WITH_TURNOUT):
        sql = str(statement.compile(db.engine))
        assert "statement_vote" not in sql, sql
