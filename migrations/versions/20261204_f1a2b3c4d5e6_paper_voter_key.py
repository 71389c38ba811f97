"""paper ballots: one per person (a keyed hash of the voter's name and birth date)

Revision ID: f1a2b3c4d5e6
Revises: e5a7c3b9d1f2
Create Date: 2026-12-04 02:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'e5a7c3b9d1f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('budget_ballot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voter_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_budget_ballot_process_voter',
                                          ['process_id', 'voter_key'])


def downgrade():
    with op.batch_alter_table('budget_ballot', schema=None) as batch_op:
        batch_op.drop_constraint('uq_budget_ballot_process_voter', type_='unique')
        batch_op.drop_column('voter_key')
