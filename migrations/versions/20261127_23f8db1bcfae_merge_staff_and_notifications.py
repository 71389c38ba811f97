"""merge staff and notifications

Revision ID: 23f8db1bcfae
Revises: 6c42325176ee, 81e746a04edf
Create Date: 2026-11-27 04:15:28.055391

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '23f8db1bcfae'
down_revision = ('6c42325176ee', '81e746a04edf')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
