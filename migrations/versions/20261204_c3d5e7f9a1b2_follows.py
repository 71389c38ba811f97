"""follows (issue 22 point 2): who follows which proposal, project, measure, policy area or district

Revision ID: c3d5e7f9a1b2
Revises: bef8e71bf4da
Create Date: 2026-12-04 18:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3d5e7f9a1b2'
down_revision = 'bef8e71bf4da'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_follow_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow')),
    sa.UniqueConstraint('user_id', 'target_type', 'target_id', name=op.f('uq_follow_user_id_target_type_target_id')),
    )
    op.create_index('ix_follow_target', 'follow', ['target_type', 'target_id', 'stopped_at'], unique=False)


def downgrade():
    op.drop_index('ix_follow_target', table_name='follow')
    op.drop_table('follow')
