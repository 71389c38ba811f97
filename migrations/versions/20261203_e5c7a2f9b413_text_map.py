"""text map: snapshots of the free-text map per scope, staff's cluster labels

Revision ID: e5c7a2f9b413
Revises: d8a4e6f1c2b7
Create Date: 2026-12-03 22:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5c7a2f9b413'
down_revision = 'd8a4e6f1c2b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'text_map_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_text_map_snapshot')),
        sa.UniqueConstraint('scope', name=op.f('uq_text_map_snapshot_scope')),
    )
    op.create_table(
        'text_map_label',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('cluster_key', sa.String(length=40), nullable=False),
        sa.Column('label', sa.String(length=40), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['set_by_id'], ['user_account.id'],
                                name=op.f('fk_text_map_label_set_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_text_map_label')),
        sa.UniqueConstraint('scope', 'cluster_key',
                            name=op.f('uq_text_map_label_scope_cluster_key')),
    )


def downgrade():
    op.drop_table('text_map_label')
    op.drop_table('text_map_snapshot')
