"""newsletters (issue 22 point 3): the city's お知らせメール and one delivery row per recipient

Revision ID: e5a7c9b1d3f5
Revises: c3d5e7f9a1b2
Create Date: 2026-12-04 19:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5a7c9b1d3f5'
down_revision = 'c3d5e7f9a1b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('newsletter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('audience_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('mailed_count', sa.Integer(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sending_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_newsletter_author_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_newsletter_submission_key')),
    )
    op.create_index(op.f('ix_newsletter_author_id'), 'newsletter', ['author_id'], unique=False)
    op.create_index('ix_newsletter_status_sent_at', 'newsletter', ['status', 'sent_at'], unique=False)
    op.create_table('newsletter_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('newsletter_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['newsletter_id'], ['newsletter.id'], name=op.f('fk_newsletter_delivery_newsletter_id_newsletter'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_newsletter_delivery_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_delivery')),
    sa.UniqueConstraint('newsletter_id', 'user_id', name=op.f('uq_newsletter_delivery_newsletter_id_user_id')),
    )
    op.create_index('ix_newsletter_delivery_pending', 'newsletter_delivery', ['newsletter_id', 'queued_at'], unique=False)
    op.create_index(op.f('ix_newsletter_delivery_user_id'), 'newsletter_delivery', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_newsletter_delivery_user_id'), table_name='newsletter_delivery')
    op.drop_index('ix_newsletter_delivery_pending', table_name='newsletter_delivery')
    op.drop_table('newsletter_delivery')
    op.drop_index('ix_newsletter_status_sent_at', table_name='newsletter')
    op.drop_index(op.f('ix_newsletter_author_id'), table_name='newsletter')
    op.drop_table('newsletter')
