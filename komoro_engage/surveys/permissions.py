"""Who may do what with a survey. Views and templates both ask these."""

from __future__ import annotations

from komoro_engage.accounts.permissions import is_active_user, is_staff
from komoro_engage.surveys.models import Survey, SurveyStatus


def can_manage(user, survey: Survey | None = None) -> bool:
    """Build, publish, close, enter paper answers, moderate: staff."""
    return is_staff(user)


def can_view(user, survey: Survey) -> bool:
    """A draft is staff's alone; a published or closed survey is public."""
    return survey.status != SurveyStatus.DRAFT or is_staff(user)


def can_answer(user, survey: Survey) -> bool:
    """While open: signed-in residents, and visitors where staff allow them."""
    if not survey.is_open:
        return False
    return is_active_user(user) or (survey.allow_visitors and not user.is_authenticated)


def can_see_results(user, survey: Survey) -> bool:
    """Results are public once the survey is closed; staff see them as they come in."""
    return survey.status == SurveyStatus.CLOSED or (
        survey.status == SurveyStatus.PUBLISHED and is_staff(user))
