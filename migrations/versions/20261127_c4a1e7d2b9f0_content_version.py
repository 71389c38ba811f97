"""content version: the number kept pages for visitors are valid under

Revision ID: c4a1e7d2b9f0
Revises: a91ff894e543
Create Date: 2026-11-27 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a1e7d2b9f0'
down_revision = 'a91ff894e543'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'content_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'version': 0}])


def downgrade():
    op.drop_table('content_version')
