"""organisers' messages to a project's people (主催者からのお知らせ, issue 23 point 4)

Revision ID: b8e2c4f6a9d1
Revises: d4f6b8c0e2a3
Create Date: 2026-12-04 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8e2c4f6a9d1'
down_revision = 'd4f6b8c0e2a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('audiences', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_project_message_author_id_user_account')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_message_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_message')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_project_message_submission_key'))
    )
    with op.batch_alter_table('project_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_message_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_project_message_project_created', ['project_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('project_message', schema=None) as batch_op:
        batch_op.drop_index('ix_project_message_project_created')
        batch_op.drop_index(batch_op.f('ix_project_message_author_id'))

    op.drop_table('project_message')
