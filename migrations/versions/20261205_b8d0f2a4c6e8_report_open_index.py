"""reports: one index for the staff's report queue and its tab

Revision ID: b8d0f2a4c6e8
Revises: a7c9e1b3d5f7
Create Date: 2026-12-05 18:45:00

(resolved_at, target_type, target_id, created_at): the queue groups open reports by
item, oldest first, and its tab counts the items, both from the index alone.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d0f2a4c6e8'
down_revision = 'a7c9e1b3d5f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_open',
                              ['resolved_at', 'target_type', 'target_id', 'created_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_open')
