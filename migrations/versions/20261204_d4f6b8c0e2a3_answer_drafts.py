"""drafts and approval (決裁) of answers and evaluation records (issue 23)

The city's answer gets a draft table of its own, so nothing public reads a draft;
the timeline gets staff-only steps; evaluation records get the submitted state's
columns. Existing answers and finalised records are left as they are: published.

Revision ID: d4f6b8c0e2a3
Revises: a7d3e9c1b5f8
Create Date: 2026-12-04 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4f6b8c0e2a3'
down_revision = 'a7d3e9c1b5f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposal_answer_draft',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_easy', sa.Text(), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_by_id', sa.Integer(), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_proposal_answer_draft_author_id_user_account')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_answer_draft_proposal_id_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['returned_by_id'], ['user_account.id'], name=op.f('fk_proposal_answer_draft_returned_by_id_user_account')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_proposal_answer_draft_submitted_by_id_user_account')),
    sa.PrimaryKeyConstraint('proposal_id', name=op.f('pk_proposal_answer_draft'))
    )
    with op.batch_alter_table('proposal_answer_draft', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_answer_draft_state', ['state', 'submitted_at'], unique=False)

    # Every step written so far was public: the new column says so.
    with op.batch_alter_table('proposal_status_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_only', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    with op.batch_alter_table('evaluation_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('return_reason', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_record_updated_by_id_user_account'),
                                    'user_account', ['updated_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_record_submitted_by_id_user_account'),
                                    'user_account', ['submitted_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('evaluation_record', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evaluation_record_submitted_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_evaluation_record_updated_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('return_reason')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('submitted_by_id')
        batch_op.drop_column('version')
        batch_op.drop_column('updated_by_id')
    # A record waiting for approval goes back to a draft (the old schema has no such state).
    op.execute("UPDATE evaluation_record SET status = 'draft' WHERE status = 'submitted'")
    # Staff-only steps would read as public ones without the column (the audit log keeps them).
    op.execute(sa.text("DELETE FROM proposal_status_change WHERE staff_only = :yes")
               .bindparams(yes=True))
    with op.batch_alter_table('proposal_status_change', schema=None) as batch_op:
        batch_op.drop_column('staff_only')
    with op.batch_alter_table('proposal_answer_draft', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_answer_draft_state')
    op.drop_table('proposal_answer_draft')
