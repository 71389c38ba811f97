"""organisation archived_at: staff close an organisation left without a manager

Revision ID: 5e1a9c0d7b21
Revises: c4a1e7d2b9f0
Create Date: 2026-12-03 13:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e1a9c0d7b21'
down_revision = 'c4a1e7d2b9f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
