"""departments (担当課), routing proposals to them, internal notes (issue 22 point 1)

Departments come from the plan data file; staff belong to one or more; a proposal's
assignments are rows (the current one flagged, one per proposal); internal notes sit on
a proposal or a project, never both.

Revision ID: bef8e71bf4da
Revises: b8e2c4f6a9d1
Create Date: 2026-12-04 14:40:15.081798

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'bef8e71bf4da'
down_revision = 'b8e2c4f6a9d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_kana', sa.String(length=100), nullable=True),
    sa.Column('name_en', sa.String(length=100), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name=op.f('uq_department_name'))
    )
    op.create_table('department_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_department_membership_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_department_membership_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_membership')),
    sa.UniqueConstraint('user_id', 'department_id', name=op.f('uq_department_membership_user_id_department_id'))
    )
    with op.batch_alter_table('department_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_membership_department_id'), ['department_id'], unique=False)

    op.create_table('proposal_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'], name=op.f('fk_proposal_assignment_assigned_by_id_user_account')),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_proposal_assignment_assignee_id_user_account')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_proposal_assignment_department_id_department')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_assignment_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_assignment'))
    )
    with op.batch_alter_table('proposal_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_assignment_department', ['department_id', 'is_current', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_assignment_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index('uq_proposal_assignment_current', ['proposal_id'], unique=True, sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))

    op.create_table('internal_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(proposal_id IS NULL) <> (project_id IS NULL)', name=op.f('ck_internal_note_one_subject')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_internal_note_author_id_user_account')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_internal_note_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_internal_note_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internal_note'))
    )
    with op.batch_alter_table('internal_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_internal_note_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_internal_note_proposal_id'), ['proposal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('internal_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_internal_note_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_internal_note_project_id'))

    op.drop_table('internal_note')
    with op.batch_alter_table('proposal_assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_proposal_assignment_current', sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
        batch_op.drop_index(batch_op.f('ix_proposal_assignment_proposal_id'))
        batch_op.drop_index('ix_proposal_assignment_department')

    op.drop_table('proposal_assignment')
    with op.batch_alter_table('department_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_membership_department_id'))

    op.drop_table('department_membership')
    op.drop_table('department')
