"""A person's statements and votes when they delete their account (APPI).

Statements they asked to remove lose their words and leave the public pages; kept ones
stay, shown without a name (statements never show their author). Votes are kept as
anonymous counts (open data numbers participants per consultation, never by account).
"""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.erasure import register_export_section, register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.consultations.models import Statement, StatementStatus, StatementVote
from komoro_engage.extensions import db

REMOVED_TEXT = "（投稿者の退会により削除されました）"


def erase_statements(user: User, remove: bool) -> list[str]:
    """Remove ``user``'s statements when they asked for it; returns the removed words."""
    if not remove:
        return []
    removed = []
    for statement in db.session.scalars(select(Statement).where(Statement.author_id == user.id)):
        removed.append(statement.text)
        statement.text = REMOVED_TEXT
        statement.status = StatementStatus.HIDDEN
    db.session.flush()
    return removed


def export_statements(user: User) -> dict:
    """The person's statements and votes, for their data download."""
    statements = db.session.scalars(select(Statement).where(Statement.author_id == user.id)
                                    .order_by(Statement.id))
    votes = db.session.execute(select(StatementVote.statement_id, StatementVote.value)
                               .where(StatementVote.user_id == user.id)
                               .order_by(StatementVote.id))
    return {
        "statements": [{"id": s.id, "consultation_id": s.consultation_id, "text": s.text,
                        "status": str(s.status), "created_at": s.created_at.isoformat()}
                       for s in statements],
        "votes": [{"statement_id": statement, "value": value} for statement, value in votes],
    }


def register() -> None:
    register_post_handler(erase_statements)
    register_export_section("consultations", export_statements)
