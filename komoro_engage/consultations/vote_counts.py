"""The vote counts the database keeps: each statement's votes and its 賛成 / 反対 / パス,
each consultation's votes and participants.

The consultation page counted them afresh from every vote on each view: counts that grow
with the votes (the bench's consultation has 2,815; its turnout and tallies were 0.7 ms
of the page on PostgreSQL, issue 16). Triggers keep them in the statement that writes
the vote, whatever writes it (the vote's upsert, the demo's bulk insert): a new vote adds
one to its counts, a changed vote moves one count from its old value to its new one. The
upsert itself cannot return the old value; the trigger sees it.

A person becomes a participant with their first vote in the consultation. Two first votes
of one person on two statements at once would each see no other on PostgreSQL. So a new
vote's trigger first locks the consultation's row as its UPDATE would (FOR NO KEY UPDATE:
a FOR UPDATE would wait for the key-share lock every new vote's foreign key holds on it,
and two votes would wait for each other; its counts are written there anyway, so the
consultation's new votes took turns already): the second waits for the first to
commit, and its check, a later statement of the trigger with a snapshot of its own, then
sees the first vote. The row first, then the statement's: every new vote takes them in that
order, so two transactions never wait for each other's. SQLite writes one transaction
at a time.

Votes are deleted only with their consultation (an erased account's votes stay as
anonymous counts), so no trigger follows deletions.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

COUNTED, CHANGED = "statement_vote_counted", "statement_vote_changed"

_VALUES = (("agree_count", 1), ("disagree_count", -1), ("pass_count", 0))


def _moved(*moves: tuple[str, str]) -> str:
    """The statement's three counts, each moved by one (``sign``) when the vote ``row``
    (NEW or OLD) has its value, for each ``(sign, row)`` of ``moves``."""
    return ", ".join(column + f" = {column} " + " ".join(
        f"{sign} CASE WHEN {row}.value = {value} THEN 1 ELSE 0 END" for sign, row in moves)
        for column, value in _VALUES)


# Built from the constants above, nothing else (S608).
_ADD_TO_STATEMENT = ("UPDATE statement SET vote_count = vote_count + 1, "  # noqa: S608
                     f"{_moved(('+', 'NEW'))} WHERE id = NEW.statement_id;")
_MOVE_IN_STATEMENT = ("UPDATE statement SET "  # noqa: S608
                      f"{_moved(('+', 'NEW'), ('-', 'OLD'))} WHERE id = NEW.statement_id;")
_ADD_TO_CONSULTATION = (
    "UPDATE consultation SET vote_count = vote_count + 1, participant_count = "
    "participant_count + CASE WHEN EXISTS (SELECT 1 FROM statement_vote AS other "
    "WHERE other.consultation_id = NEW.consultation_id AND other.user_id = NEW.user_id "
    "AND other.id <> NEW.id) THEN 0 ELSE 1 END WHERE id = NEW.consultation_id;")

SQLITE = (
    f"CREATE TRIGGER {COUNTED} AFTER INSERT ON statement_vote "
    f"BEGIN {_ADD_TO_STATEMENT} {_ADD_TO_CONSULTATION} END",
    f"CREATE TRIGGER {CHANGED} AFTER UPDATE OF value ON statement_vote "
    f"WHEN OLD.value <> NEW.value BEGIN {_MOVE_IN_STATEMENT} END",
)
POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION statement_vote_counts() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ BEGIN IF TG_OP = 'INSERT' THEN "
    # The consultation's new votes one at a time, before the check (see above).
    "PERFORM 1 FROM consultation WHERE id = NEW.consultation_id FOR NO KEY UPDATE; "
    f"{_ADD_TO_STATEMENT} {_ADD_TO_CONSULTATION} "
    f"ELSE {_MOVE_IN_STATEMENT} END IF; RETURN NULL; END $$",
    f"CREATE TRIGGER {COUNTED} AFTER INSERT ON statement_vote "
    "FOR EACH ROW EXECUTE FUNCTION statement_vote_counts()",
    f"CREATE TRIGGER {CHANGED} AFTER UPDATE OF value ON statement_vote "
    "FOR EACH ROW WHEN (OLD.value <> NEW.value) EXECUTE FUNCTION statement_vote_counts()",
)


def keep_counts(votes: Table) -> None:
    """Create the triggers with the votes' table (``create_all``; the migration runs the
    same statements)."""
    for dialect, statements in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
        for statement in statements:
            event.listen(votes, "after_create", DDL(statement).execute_if(dialect=dialect))
