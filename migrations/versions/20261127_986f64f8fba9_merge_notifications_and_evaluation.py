"""merge notifications and evaluation

Revision ID: 986f64f8fba9
Revises: 2ad8d09e53d5, 81e746a04edf
Create Date: 2026-11-27 04:29:42.638873

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '986f64f8fba9'
down_revision = ('2ad8d09e53d5', '81e746a04edf')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
