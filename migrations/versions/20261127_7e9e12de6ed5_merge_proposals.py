"""merge proposals

Revision ID: 7e9e12de6ed5
Revises: e43df2de7334, f0ed3972a6b1
Create Date: 2026-11-27 01:03:22.132011

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e9e12de6ed5'
down_revision = ('e43df2de7334', 'f0ed3972a6b1')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
