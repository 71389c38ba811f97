"""consultations: questions, statements, votes, analysis snapshots

Revision ID: e5c0a9d3f7b1
Revises: e5b1d7c3a9f2
Create Date: 2026-12-03 21:31:43.674497

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5c0a9d3f7b1'
down_revision = 'e5b1d7c3a9f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_consultation_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_status'), ['status'], unique=False)
        batch_op.create_index('ix_consultation_status_opens_at', ['status', 'opens_at', 'id'], unique=False)

    op.create_table('consultation_analysis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_analysis_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_analysis')),
    sa.UniqueConstraint('consultation_id', 'kind', name=op.f('uq_consultation_analysis_consultation_id_kind'))
    )
    with op.batch_alter_table('consultation_analysis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_analysis_requested_at'), ['requested_at'], unique=False)

    op.create_table('consultation_measure',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_measure_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_consultation_measure_measure_id_measure'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'measure_id', name=op.f('pk_consultation_measure'))
    )
    with op.batch_alter_table('consultation_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_measure_measure_id'), ['measure_id'], unique=False)

    op.create_table('consultation_policy_area',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('policy_area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_policy_area_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['policy_area_id'], ['policy_area.id'], name=op.f('fk_consultation_policy_area_policy_area_id_policy_area'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'policy_area_id', name=op.f('pk_consultation_policy_area'))
    )
    with op.batch_alter_table('consultation_policy_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_policy_area_policy_area_id'), ['policy_area_id'], unique=False)

    op.create_table('statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('hidden_by_reports', sa.Boolean(), nullable=False),
    sa.Column('is_seed', sa.Boolean(), nullable=False),
    sa.Column('is_proxy', sa.Boolean(), nullable=False),
    sa.Column('proxy_source', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('vote_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_statement_author_id_user_account')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_statement_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_statement_entered_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement')),
    sa.UniqueConstraint('consultation_id', 'author_id', 'text', name=op.f('uq_statement_consultation_id_author_id_text'))
    )
    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_entered_by_id'), ['entered_by_id'], unique=False)
        batch_op.create_index('ix_statement_next', ['consultation_id', 'status', 'vote_count', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_statement_status_created_at', ['status', 'created_at', 'id'], unique=False)

    op.create_table('statement_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value IN (-1, 0, 1)', name=op.f('ck_statement_vote_value_sign')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_statement_vote_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_statement_vote_statement_id_statement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_statement_vote_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_vote')),
    sa.UniqueConstraint('statement_id', 'user_id', name=op.f('uq_statement_vote_statement_id_user_id'))
    )
    with op.batch_alter_table('statement_vote', schema=None) as batch_op:
        batch_op.create_index('ix_statement_vote_consultation_user', ['consultation_id', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_vote_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('statement_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_vote_user_id'))
        batch_op.drop_index('ix_statement_vote_consultation_user')

    op.drop_table('statement_vote')
    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.drop_index('ix_statement_status_created_at')
        batch_op.drop_index('ix_statement_next')
        batch_op.drop_index(batch_op.f('ix_statement_entered_by_id'))
        batch_op.drop_index(batch_op.f('ix_statement_author_id'))

    op.drop_table('statement')
    with op.batch_alter_table('consultation_policy_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_policy_area_policy_area_id'))

    op.drop_table('consultation_policy_area')
    with op.batch_alter_table('consultation_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_measure_measure_id'))

    op.drop_table('consultation_measure')
    with op.batch_alter_table('consultation_analysis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_analysis_requested_at'))

    op.drop_table('consultation_analysis')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_status_opens_at')
        batch_op.drop_index(batch_op.f('ix_consultation_status'))
        batch_op.drop_index(batch_op.f('ix_consultation_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_closes_at'))

    op.drop_table('consultation')
