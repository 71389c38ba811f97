"""Each statement's tally is counted from an index, and counts what was voted.

The consultation page asks every published statement's 賛成 / 反対 / パス on each view:
reading each vote's row for its value was half of that statement (issue 16).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from komoro_engage.consultations import queries
from komoro_engage.consultations.models import AGREE, DISAGREE, PASS
from komoro_engage.consultations.services import cast_vote
from komoro_engage.extensions import db
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user


def test_the_tally_reads_votes_from_the_covering_index(ctx):
    """SQLite's plan; PostgreSQL's planner chooses by its statistics."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL chooses by its statistics")
    compiled = queries._TALLIES.params(consultation_id=1).compile(
        db.engine, compile_kwargs={"literal_binds": True})
    plan = " | ".join(row[3] for row in db.session.execute(
        text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "COVERING INDEX ix_statement_vote_tally" in plan, plan


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
    counts = {tally.statement.id: (tally.agree, tally.disagree, tally.passed)
              for tally in queries.tallies(ours.id)}
    # (the consultation's own seed statements, if any, have no votes)
    assert counts.pop(first.id) == (1, 2, 0) and counts.pop(second.id) == (0, 0, 1)
    assert set(counts.values()) <= {(0, 0, 0)}
    assert queries.consultation_with_turnout(ours.id) == (ours, (3, 4, 2 + len(counts)))
    others = len(queries.tallies(other.id))
    assert queries.consultation_with_turnout(other.id) == (other, (1, 1, others))
