"""easy Japanese: staff's やさしい日本語 versions of a measure's description and an official answer

Revision ID: e5a7c3b9d1f2
Revises: 4c7e9a2f1b63
Create Date: 2026-12-03 22:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a7c3b9d1f2'
down_revision = '4c7e9a2f1b63'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description_easy', sa.Text(), nullable=True))
    with op.batch_alter_table('proposal_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_easy', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('proposal_answer', schema=None) as batch_op:
        batch_op.drop_column('body_easy')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_column('description_easy')
