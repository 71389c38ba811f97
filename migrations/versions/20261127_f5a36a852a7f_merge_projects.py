"""merge projects

Revision ID: f5a36a852a7f
Revises: 01de9362b093, e050652ef6cb
Create Date: 2026-11-27 04:40:27.617837

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f5a36a852a7f'
down_revision = ('01de9362b093', 'e050652ef6cb')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
