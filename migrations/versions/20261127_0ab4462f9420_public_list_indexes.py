"""public partial indexes for the proposal list

The list's sort indexes hold only public proposals, so the list walks one in
order and stops after a page whatever the number of drafts, hidden or pending
proposals; the (status, published_at) index they replace made the database
sort every public proposal.

Revision ID: 0ab4462f9420
Revises: 7e9e12de6ed5
Create Date: 2026-11-27 03:33:38.770919

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0ab4462f9420'
down_revision = '7e9e12de6ed5'
branch_labels = None
depends_on = None

PUBLIC = "status IN ('published', 'under_review', 'adopted', 'not_adopted')"
SORT_COLUMNS = ("published_at", "support_count", "comment_count", "last_activity_at")


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        for column in SORT_COLUMNS:
            batch_op.drop_index(f'ix_proposal_{column}')
        batch_op.drop_index('ix_proposal_status_published')
        for column in SORT_COLUMNS:
            batch_op.create_index(f'ix_proposal_public_{column}', [column, 'id'], unique=False,
                                  sqlite_where=sa.text(PUBLIC), postgresql_where=sa.text(PUBLIC))


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        for column in SORT_COLUMNS:
            batch_op.drop_index(f'ix_proposal_public_{column}')
        batch_op.create_index('ix_proposal_status_published', ['status', 'published_at'],
                              unique=False)
        for column in SORT_COLUMNS:
            batch_op.create_index(f'ix_proposal_{column}', [column, 'id'], unique=False)
