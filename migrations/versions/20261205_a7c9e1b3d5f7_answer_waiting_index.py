"""proposal answers: one index for the staff's waiting and overdue queues

Revision ID: a7c9e1b3d5f7
Revises: e5a7c9b1d3f5
Create Date: 2026-12-05 03:30:00

(answered_at, deadline_at, proposal_id) replaces the index on answered_at alone (its
first column): the queues read unanswered answers in deadline order from it.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c9e1b3d5f7'
down_revision = 'e5a7c9b1d3f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_answer_answered_at')
        batch_op.create_index('ix_proposal_answer_waiting',
                              ['answered_at', 'deadline_at', 'proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_answer_waiting')
        batch_op.create_index('ix_proposal_answer_answered_at', ['answered_at'], unique=False)
