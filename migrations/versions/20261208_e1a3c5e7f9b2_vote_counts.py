"""consultations: vote counts kept by the votes' triggers

Revision ID: e1a3c5e7f9b2
Revises: d0f2a4b6c8e1
Create Date: 2026-12-08 00:00:00

Each statement's 賛成 / 反対 / パス and each consultation's votes and participants, counted
once from the votes there are and then kept by triggers on ``statement_vote``
(``komoro_engage/consultations/vote_counts.py``; the statements' ``vote_count`` too,
which the vote service kept until now). The consultation page read them by counting every
vote on each view; the index it counted from goes.
"""
import sqlalchemy as sa
from alembic import op

from komoro_engage.consultations.vote_counts import CHANGED, COUNTED, POSTGRESQL, SQLITE

# revision identifiers, used by Alembic.
revision = 'e1a3c5e7f9b2'
down_revision = 'd0f2a4b6c8e1'
branch_labels = None
depends_on = None

_COUNTS = {"statement": ("agree_count", "disagree_count", "pass_count"),
           "consultation": ("vote_count", "participant_count")}


def upgrade():
    for table, columns in _COUNTS.items():
        for column in columns:
            op.add_column(table, sa.Column(column, sa.Integer(), server_default="0",
                                           nullable=False))
    votes = "SELECT count(*) FROM statement_vote AS v WHERE v.statement_id = statement.id"
    op.execute(
        f"UPDATE statement SET vote_count = ({votes}), "  # noqa: S608 - constants only
        f"agree_count = ({votes} AND v.value = 1), "
        f"disagree_count = ({votes} AND v.value = -1), "
        f"pass_count = ({votes} AND v.value = 0)")
    op.execute(
        "UPDATE consultation SET vote_count = (SELECT count(*) FROM statement_vote AS v "
        "WHERE v.consultation_id = consultation.id), participant_count = (SELECT "
        "count(DISTINCT v.user_id) FROM statement_vote AS v "
        "WHERE v.consultation_id = consultation.id)")
    # Before the triggers: a table SQLite's batch mode copies would lose them.
    op.drop_index('ix_statement_vote_tally', table_name='statement_vote')
    for statement in (POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE):
        op.execute(statement)


def downgrade():
    op.create_index('ix_statement_vote_tally', 'statement_vote', ['statement_id', 'value'])
    postgresql = op.get_bind().dialect.name == "postgresql"
    for trigger in (COUNTED, CHANGED):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}" + (" ON statement_vote" if postgresql
                                                           else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS statement_vote_counts()")
    # Not through batch mode: SQLite's copy of a table drops the old one, and its foreign
    # keys' cascades would delete every statement and vote.
    for table, columns in _COUNTS.items():
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
