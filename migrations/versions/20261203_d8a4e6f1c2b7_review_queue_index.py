"""review queue index: proposals by status in submission order

Revision ID: d8a4e6f1c2b7
Revises: c3f1a7b9e2d4
Create Date: 2026-12-03 17:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd8a4e6f1c2b7'
down_revision = 'c3f1a7b9e2d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_status_submitted_at',
                              ['status', 'submitted_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_status_submitted_at')
