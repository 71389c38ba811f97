"""Who may do what in a 市民予算 process. Views and templates both ask these."""

from __future__ import annotations

from komoro_engage.accounts.permissions import is_active_user, is_staff
from komoro_engage.accounts.services import AGE_BANDS
from komoro_engage.budgeting.models import BudgetProcess, BudgetResult, Phase
from komoro_engage.core import clock


def can_manage(user) -> bool:
    """Staff run processes: projects, reviews, phases, paper ballots, results."""
    return is_staff(user)


def ineligibility(user, process: BudgetProcess) -> str | None:
    """Why ``user`` may not vote in ``process`` ("age", "district", "sign_in"), or None."""
    if not is_active_user(user):
        return "sign_in"
    return ineligibility_of(process, user.district_id, user.age_band)


def ineligibility_of(process: BudgetProcess, district_id: int | None,
                     age_band: str | None) -> str | None:
    """Why a voter of this district and age band may not vote ("age", "district"), or
    None: the rules of web and paper ballots alike."""
    if process.min_age_band and (
            age_band not in AGE_BANDS
            or AGE_BANDS.index(age_band) < AGE_BANDS.index(process.min_age_band)):
        return "age"
    if process.district_only and district_id not in {
            d.district_id for d in process.district_budgets}:
        return "district"
    return None


def voting_open(process: BudgetProcess) -> bool:
    """In the 投票 phase and not past the closing day (Japan time), whichever ends first:
    staff move the phase on, and the closing day ends the vote even if they have not."""
    if process.phase != Phase.VOTING:
        return False
    return process.voting_until is None or clock.now().astimezone(
        clock.JAPAN).date() <= process.voting_until


def can_vote(user, process: BudgetProcess) -> bool:
    """An eligible, signed-in person while the vote is open (the ballot can change till then)."""
    return voting_open(process) and ineligibility(user, process) is None


def results_public(result: BudgetResult | None) -> bool:
    return result is not None and result.published_at is not None


def can_see_results(user, result: BudgetResult | None) -> bool:
    """Everyone once published; staff as soon as computed (to check before publishing)."""
    return results_public(result) or (result is not None and can_manage(user))
