"""statement_vote: an index for each statement's tally

Revision ID: c9e1f3a5b7d9
Revises: b8d0f2a4c6e8
Create Date: 2026-12-06 01:00:00

(statement_id, value): the consultation page counts each statement's 賛成 / 反対 / パス
from the index alone, without reading each vote's row.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c9e1f3a5b7d9'
down_revision = 'b8d0f2a4c6e8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('statement_vote', schema=None) as batch_op:
        batch_op.create_index('ix_statement_vote_tally', ['statement_id', 'value'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('statement_vote', schema=None) as batch_op:
        batch_op.drop_index('ix_statement_vote_tally')
