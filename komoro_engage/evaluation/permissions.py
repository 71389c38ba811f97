"""Who may see and change evaluation records. Views and templates both ask these."""

from __future__ import annotations

from komoro_engage.accounts.permissions import is_staff
from komoro_engage.evaluation.models import EvaluationRecord


def can_manage(user) -> bool:
    """Staff and admins manage indicators, records and exports."""
    return is_staff(user)


def can_view_record(user, record: EvaluationRecord) -> bool:
    """Finalised records are public; drafts are for staff only."""
    return record.is_final or is_staff(user)


def can_edit_draft(user, record: EvaluationRecord | None) -> bool:
    """A draft is edited until it is finalised, except while it waits for approval."""
    return is_staff(user) and (record is None or not (record.is_final or record.is_submitted))
