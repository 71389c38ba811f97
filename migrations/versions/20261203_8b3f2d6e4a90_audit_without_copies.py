"""audit entries without copies of what residents wrote

Until now ``project.updated`` entries copied the project's title (before and
after), and a project status change by its organisers copied their reason. Both
are a person's own words, which account deletion must be able to erase, and the
log is append-only. This migration removes those copies from existing entries
(the titles stay on the projects, the reasons in the project's timeline) while
the append-only trigger is briefly lifted; new entries no longer make them.

Revision ID: 8b3f2d6e4a90
Revises: 5e1a9c0d7b21
Create Date: 2026-12-03 13:00:00

"""
import sqlalchemy as sa
from alembic import op

from komoro_engage.core.audit import APPEND_ONLY_SQLITE

# revision identifiers, used by Alembic.
revision = '8b3f2d6e4a90'
down_revision = '5e1a9c0d7b21'
branch_labels = None
depends_on = None

audit = sa.table('audit_entry', sa.column('id', sa.Integer), sa.column('actor_id', sa.Integer),
                 sa.column('action', sa.String), sa.column('reason', sa.Text),
                 sa.column('before', sa.JSON), sa.column('after', sa.JSON))
users = sa.table('user_account', sa.column('id', sa.Integer), sa.column('role', sa.String))
STATUS_ACTIONS = ('project.open_recruiting', 'project.start', 'project.complete',
                  'project.cancel')


def _without_title(value):
    if not isinstance(value, dict) or 'title' not in value:
        return value
    return {key: item for key, item in value.items() if key != 'title'}


def _scrub(bind) -> None:
    for entry_id, before, after in bind.execute(sa.select(audit.c.id, audit.c.before,
                                                          audit.c.after)
                                                .where(audit.c.action == 'project.updated')).all():
        bind.execute(audit.update().where(audit.c.id == entry_id).values(
            before=_without_title(before), after=_without_title(after)))
    # Organisers are residents; a staff member's reason is the city's record and stays.
    organisers = sa.select(users.c.id).where(users.c.role == 'resident')
    bind.execute(audit.update().where(
        audit.c.action.in_(STATUS_ACTIONS), audit.c.reason != '',
        audit.c.actor_id.in_(organisers)).values(reason=''))


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only')
        _scrub(bind)
        op.execute('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only')
    else:
        op.execute('DROP TRIGGER IF EXISTS audit_entry_no_update')
        _scrub(bind)
        op.execute(APPEND_ONLY_SQLITE[0])


def downgrade():
    pass  # the copies are gone for good: that was the point
