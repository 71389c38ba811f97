"""staff find: indexes for every-status lists and the author's age band; non-public
proposals in the search index as "proposal_private"

Revision ID: a7d3e9c1b5f4
Revises: f1a2b3c4d5e6
Create Date: 2026-12-04 08:10:00

"""
import sqlalchemy as sa
from alembic import op

from komoro_engage.search.services import grams_of

# revision identifiers, used by Alembic.
revision = 'a7d3e9c1b5f4'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

# proposals/models.py PUBLIC_STATUSES as they are today: the rest goes to the private kind.
PUBLIC = ('published', 'under_review', 'adopted', 'not_adopted')
PRIVATE_KIND = 'proposal_private'
CHUNK = 1000


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_created_at', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_proposal_support_count', ['support_count', 'id'],
                              unique=False)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_age_band'), ['age_band'],
                              unique=False)
    _index_private_proposals()


def _index_private_proposals():
    """Until now only public proposals were indexed; the staff search reads the others too."""
    connection = op.get_bind()
    proposal = sa.table('proposal', sa.column('id'), sa.column('title'), sa.column('body'),
                        sa.column('status'))
    gram = sa.table('search_gram', sa.column('kind'), sa.column('gram'), sa.column('item_id'))
    rows = connection.execute(sa.select(proposal.c.id, proposal.c.title, proposal.c.body)
                              .where(proposal.c.status.not_in(PUBLIC))
                              .order_by(proposal.c.id)).all()
    for start in range(0, len(rows), CHUNK):
        values = [{'kind': PRIVATE_KIND, 'gram': g, 'item_id': item_id}
                  for item_id, title, body in rows[start:start + CHUNK]
                  for g in sorted(grams_of(title or '', body or ''))]
        if values:
            connection.execute(gram.insert(), values)


def downgrade():
    gram = sa.table('search_gram', sa.column('kind'))
    op.get_bind().execute(gram.delete().where(gram.c.kind == PRIVATE_KIND))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_age_band'))
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_support_count')
        batch_op.drop_index('ix_proposal_created_at')
