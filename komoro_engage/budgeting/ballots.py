"""Casting a ballot: the rules of the process's ballot kind, one ballot per person, and
paper ballots staff enter. Functions flush but never commit.

One web ballot per person is the UNIQUE (process_id, user_id) constraint: the ballot is an
upsert on it, so the second of a race (a double tap, two tabs) updates the first's row
and replaces its choices: parallel submissions leave one ballot with one set of choices.

One paper ballot per person is the UNIQUE (process_id, voter_key) constraint: the 公民館
checks who votes, staff type the voter's name and birth date, and only a keyed hash of
them is kept (``voter_key``), enough to refuse a second slip of the same person and
nothing anyone could read a name from. A voter who has an account is linked to it, so
one person never has both a paper and a web ballot.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from komoro_engage.accounts.models import User
from komoro_engage.accounts.services import age_band_on
from komoro_engage.budgeting.models import (
    Ballot,
    BallotChoice,
    BallotKind,
    BudgetProcess,
    BudgetProject,
    Feasibility,
)
from komoro_engage.budgeting.permissions import ineligibility_of
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.core.sql import built_once_per_dialect, insert_or_ignore
from komoro_engage.extensions import db

Choices = dict[int, int]  # project id -> points (1 for approval and knapsack)


class BallotRefused(Exception):
    """The ballot breaks a rule; ``errors`` maps a project id (or None) to its message."""

    def __init__(self, errors: dict[int | None, str]):
        super().__init__(errors)
        self.errors = errors


def ballot_projects(process: BudgetProcess, district_id: int | None,
                    projects: list | None = None) -> list[BudgetProject]:
    """The feasible projects a voter of ``district_id`` chooses from: city-wide ones and,
    where the district has a sub-budget, the district's. Of ``projects`` when given (rows
    of queries.ballot_offer will do), else of the process's."""
    budgets = {d.district_id for d in process.district_budgets}
    every = process.projects if projects is None else projects
    return [p for p in every if p.feasibility == Feasibility.FEASIBLE
            and (p.district_id is None or (p.district_id == district_id
                                           and district_id in budgets))]


def check_choices(process: BudgetProcess, projects: list[BudgetProject],
                  choices: Choices) -> None:
    """Raise BallotRefused unless ``choices`` keep the process's rules."""
    offered = {p.id: p for p in projects}
    errors: dict[int | None, str] = {}
    chosen = {pid: pts for pid, pts in choices.items() if pts}
    for pid, pts in chosen.items():
        if pid not in offered:
            errors[None] = str(_l("選べない事業が含まれています。"))
        elif pts < 0 or (process.ballot_kind != BallotKind.POINTS and pts != 1):
            errors[pid] = str(_l("0以上の整数で入力してください。"))
    if not chosen:
        errors[None] = str(_l("事業を1つ以上選んでください。"))
    if errors:
        raise BallotRefused(errors)
    kind = process.ballot_kind
    most = process.max_approvals
    if kind == BallotKind.APPROVAL and most and len(chosen) > most:
        errors[None] = str(_l("選べるのは%(n)d件までです（%(chosen)d件選んでいます）。",
                              n=process.max_approvals, chosen=len(chosen)))
    elif kind == BallotKind.KNAPSACK:
        for district_id, limit in _limits(process).items():
            spent = sum(offered[pid].cost for pid in chosen
                        if offered[pid].district_id == district_id)
            if spent > limit:
                errors[None] = str(_l(
                    "選んだ事業の合計 %(spent)s円 が予算 %(limit)s円 を超えています。",
                    spent=f"{spent:,}", limit=f"{limit:,}"))
    elif kind == BallotKind.POINTS and sum(chosen.values()) > (process.points_total or 0):
        errors[None] = str(_l("配れるポイントは合計%(n)dまでです（%(used)d使っています）。",
                              n=process.points_total or 0, used=sum(chosen.values())))
    if errors:
        raise BallotRefused(errors)


def _limits(process: BudgetProcess) -> dict[int | None, int]:
    """The budget each group of projects must fit in: the city's and each district's."""
    return {None: process.city_amount,
            **{d.district_id: d.amount for d in process.district_budgets}}


# A ballot's choices brought up to those sent: the others deleted, each sent one inserted
# or its points updated where they changed (a choice kept as it was is not written again).
_DELETE_OTHER_CHOICES = delete(BallotChoice.__table__).where(
    BallotChoice.__table__.c.ballot_id == bindparam("ballot"),
    BallotChoice.__table__.c.project_id.not_in(bindparam("kept", expanding=True)))


def _choice_upsert():
    """One choice of a ballot, inserted or its points changed (built once per dialect)."""
    upsert = insert_or_ignore(BallotChoice).values(
        ballot_id=bindparam("ballot"), project_id=bindparam("project"),
        points=bindparam("points"))
    return upsert.on_conflict_do_update(
        index_elements=["ballot_id", "project_id"], set_={"points": upsert.excluded.points},
        where=BallotChoice.points != upsert.excluded.points)


def _replace_choices(ballot_id: int, choices: Choices) -> None:
    # The ballot's row was written first (its upsert, or its INSERT): on PostgreSQL that
    # write locks the row until the transaction ends, so two parallel changes replace the
    # choices one after the other; SQLite's writers' queue already does.
    chosen = sorted((pid, pts) for pid, pts in choices.items() if pts)
    db.session.execute(_DELETE_OTHER_CHOICES,
                       {"ballot": ballot_id, "kept": [pid for pid, _pts in chosen]})
    db.session.execute(built_once_per_dialect(_choice_upsert),
                       [{"ballot": ballot_id, "project": pid, "points": pts}
                        for pid, pts in chosen])


def my_ballot(user, process: BudgetProcess) -> Ballot | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Ballot).where(Ballot.process_id == process.id,
                                                  Ballot.user_id == user.id))


def _web_ballot_upsert():
    """A person's web ballot: inserted, or its row brought up to date; a paper ballot
    linked to the account is left alone (no row comes back). Built once per dialect."""
    upsert = insert_or_ignore(Ballot).values(
        process_id=bindparam("process"), user_id=bindparam("user"), is_paper=False,
        district_id=bindparam("district"), age_band=bindparam("age_band"),
        submitted_at=bindparam("now"))
    return (upsert.on_conflict_do_update(
                index_elements=["process_id", "user_id"],
                set_={"submitted_at": upsert.excluded.submitted_at,
                      "district_id": upsert.excluded.district_id,
                      "age_band": upsert.excluded.age_band},
                where=Ballot.is_paper.is_(False))
            .returning(Ballot.id))


def cast_ballot(user: User, process: BudgetProcess, choices: Choices,
                offered: list | None = None) -> int:
    """Record ``user``'s ballot, or replace their earlier choices (the caller checked
    can_vote); the ballot's id. Raises BallotRefused when the choices break the rules, or
    when the person already voted on paper (staff linked the slip to their account).

    Three statements, new ballot or changed: an upsert on UNIQUE (process_id, user_id), so
    a double tap or two tabs leave one ballot, then the choices brought up to date.
    ``offered``: the projects ballot_projects offers this voter, when the caller has them."""
    if offered is None:
        offered = ballot_projects(process, user.district_id)
    check_choices(process, offered, choices)
    ballot_id = db.session.execute(built_once_per_dialect(_web_ballot_upsert), {
        "process": process.id, "user": user.id, "district": user.district_id,
        "age_band": user.age_band, "now": clock.now()}).scalar()
    if ballot_id is None:
        raise BallotRefused({None: str(PAPER_ALREADY)})
    _replace_choices(ballot_id, choices)
    return ballot_id


PAPER_ALREADY = _l("投票用紙で投票済みです。ウェブでは投票できません。")


@dataclass(frozen=True)
class PaperVoter:
    """Who voted on a slip, as the 公民館 checked them. The name and birth date are kept
    only as ``voter_key``; the age band is worked out from the birth date."""

    name: str
    birth_date: date
    district_id: int | None
    account: User | None = None  # the voter's account, when they have one


def voter_key(process: BudgetProcess, name: str, birth_date: date) -> str:
    """A keyed hash of the voter within this process: the same person gives the same key
    however the name was spaced or typed (full- or half-width), another process another
    key, and without the app's secret no name can be tried against it."""
    typed = "".join(unicodedata.normalize("NFKC", name).split())
    message = f"{process.id}\n{typed}\n{birth_date.isoformat()}".encode()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def enter_paper_ballot(actor: User, process: BudgetProcess, paper_ref: str,
                       voter: PaperVoter, choices: Choices) -> Ballot:
    """A paper ballot from a 公民館, under the same rules as a web ballot: the voter's
    eligibility, one ballot per person (a second slip of the same person, or a slip of
    someone who voted on the web, is refused), the choices' rules. Its slip number is
    unique in the process. Audit-logged (ids and counts only)."""
    today = clock.now().astimezone(clock.JAPAN).date()
    age_band = age_band_on(voter.birth_date, today)
    reason = ineligibility_of(process, voter.district_id, age_band)
    if reason is not None:
        raise BallotRefused({None: str(INELIGIBLE_PAPER[reason])})
    if voter.account is not None and my_ballot(voter.account, process) is not None:
        raise BallotRefused({None: str(_l("この方はウェブで投票済みです。"))})
    check_choices(process, ballot_projects(process, voter.district_id), choices)
    key = voter_key(process, voter.name, voter.birth_date)
    ballot = Ballot(process_id=process.id, is_paper=True, paper_ref=paper_ref.strip(),
                    user_id=voter.account.id if voter.account else None, voter_key=key,
                    district_id=voter.district_id, age_band=age_band, entered_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(ballot)
    except IntegrityError:
        raise BallotRefused({None: str(_why_taken(process, ballot))}) from None
    _replace_choices(ballot.id, choices)
    db.session.expire(ballot, ["choices"])
    record_audit(actor, "budget.paper_ballot_entered", ballot,
                 after={"process_id": process.id,
                        "choices": len([p for p in choices.values() if p])})
    return ballot


INELIGIBLE_PAPER = {
    "age": _l("この方の年齢では、この市民予算に投票できません。"),
    "district": _l("この方の地区は、この市民予算の対象ではありません。"),
}


def _why_taken(process: BudgetProcess, ballot: Ballot):
    """Which one-per rule a refused paper ballot met (a parallel entry, or a second slip)."""
    same = Ballot.process_id == process.id
    if db.session.scalar(select(Ballot.id).where(same, Ballot.paper_ref == ballot.paper_ref)):
        return _l("この番号の投票用紙はもう入力されています。")
    if db.session.scalar(select(Ballot.id).where(same, Ballot.voter_key == ballot.voter_key)):
        return _l("この方の投票用紙はもう入力されています（同じ氏名と生年月日）。")
    return _l("この方はウェブで投票済みです。")
