"""comments: each thread numbered on its subject

Revision ID: f2b4d6e8a0c3
Revises: e1a3c5e7f9b2
Create Date: 2026-12-08 02:00:00

A top-level comment takes the number after its subject's last thread
(``komoro_engage/comments/services.py``); a page of threads is a range of numbers and
the last number is how many there are, both read from a unique index on
(subject, number), where the page read every thread by OFFSET and counted them. The
existing threads are numbered in the order the page showed them (oldest first). The
(subject, parent, created) indexes go: their readers now use the new ones.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f2b4d6e8a0c3'
down_revision = 'e1a3c5e7f9b2'
branch_labels = None
depends_on = None

_SUBJECTS = ("proposal", "project")


def upgrade():
    op.add_column('comment', sa.Column('thread_number', sa.Integer(), nullable=True))
    # One subject column is set on each comment: partitioning by both is by subject.
    op.execute(
        "UPDATE comment SET thread_number = numbered.n FROM (SELECT id, row_number() OVER "
        "(PARTITION BY proposal_id, project_id ORDER BY created_at, id) AS n FROM comment "
        "WHERE parent_id IS NULL) AS numbered WHERE comment.id = numbered.id")
    for subject in _SUBJECTS:
        op.drop_index(f'ix_comment_{subject}_parent_created', table_name='comment')
        op.create_index(f'uq_comment_{subject}_thread', 'comment',
                        [f'{subject}_id', 'thread_number'], unique=True)


def downgrade():
    for subject in _SUBJECTS:
        op.drop_index(f'uq_comment_{subject}_thread', table_name='comment')
        op.create_index(f'ix_comment_{subject}_parent_created', 'comment',
                        [f'{subject}_id', 'parent_id', 'created_at'])
    # Not through batch mode: SQLite's copy of the table would drop the old one, and its
    # foreign keys' cascades with it.
    op.execute("ALTER TABLE comment DROP COLUMN thread_number")
