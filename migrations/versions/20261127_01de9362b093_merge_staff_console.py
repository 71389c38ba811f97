"""merge staff console

Revision ID: 01de9362b093
Revises: 986f64f8fba9, 23f8db1bcfae
Create Date: 2026-11-27 04:37:52.210104

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '01de9362b093'
down_revision = ('986f64f8fba9', '23f8db1bcfae')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
