"""vision targets: the indicator whose actuals measure them (the home page shows the latest)

Revision ID: a7d3e9c1b5f8
Revises: a7d3e9c1b5f4
Create Date: 2026-12-04 08:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7d3e9c1b5f8'
down_revision = 'a7d3e9c1b5f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('vision_target', schema=None) as batch_op:
        batch_op.add_column(sa.Column('indicator_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_vision_target_indicator_id_indicator'),
                                    'indicator', ['indicator_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('vision_target', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_vision_target_indicator_id_indicator'),
                                 type_='foreignkey')
        batch_op.drop_column('indicator_id')
