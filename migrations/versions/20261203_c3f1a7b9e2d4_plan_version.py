"""plan version: a second content_version row that moves when the plan changes

Revision ID: c3f1a7b9e2d4
Revises: b7e2c41d9a05
Create Date: 2026-12-03 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a7b9e2d4'
down_revision = 'b7e2c41d9a05'
branch_labels = None
depends_on = None


def upgrade():
    # Row 2 is the plan's version (core/content_version.PLAN_ROW): pages keep what they
    # build from the plan alone until a commit moves it.
    op.execute(sa.text("INSERT INTO content_version (id, version) VALUES (2, 0)"))


def downgrade():
    op.execute(sa.text("DELETE FROM content_version WHERE id = 2"))
