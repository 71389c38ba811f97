"""merge accounts and media

Revision ID: f0ed3972a6b1
Revises: 3ea367de6512, 5da3ec3544be
Create Date: 2026-11-27 00:48:11.610416

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f0ed3972a6b1'
down_revision = ('3ea367de6512', '5da3ec3544be')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
