"""reports: the open ones in the order they came, for the staff's report queue

Revision ID: d0f2a4b6c8e1
Revises: c9e1f3a5b7d9
Create Date: 2026-12-07 15:00:00

(resolved_at, created_at, target_type, target_id): the queue's page walks the open reports
oldest first and keeps each item's first, instead of grouping every open report. Not a
partial index: with ``resolved_at`` first, SQLite chooses it without statistics too.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd0f2a4b6c8e1'
down_revision = 'c9e1f3a5b7d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_waiting',
                              ['resolved_at', 'created_at', 'target_type', 'target_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_waiting')
