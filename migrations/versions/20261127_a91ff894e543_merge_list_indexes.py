"""merge list indexes

Revision ID: a91ff894e543
Revises: 0ab4462f9420, f5a36a852a7f
Create Date: 2026-11-27 04:55:07.600390

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a91ff894e543'
down_revision = ('0ab4462f9420', 'f5a36a852a7f')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
