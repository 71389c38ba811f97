"""project review: projects of unverified organisations wait for staff

Revision ID: b7e2c41d9a05
Revises: 5b0c7e21d9a4
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c41d9a05'
down_revision = '5b0c7e21d9a4'
branch_labels = None
depends_on = None


def upgrade():
    # Existing projects were published when they were made: they stay approved.
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=20), nullable=False,
                                      server_default='approved'))
        batch_op.add_column(sa.Column('review_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_project_review'), ['review'], unique=False)


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_review'))
        batch_op.drop_column('review_reason')
        batch_op.drop_column('review')
