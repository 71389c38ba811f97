"""Following, driven by the domain events (core/events.py).

Taking part (submitting a proposal, supporting it, commenting, creating or joining
a 協働 project) follows the item automatically, unless the person once stopped.
What happens to a followed item is told to its followers, in the bell and by mail
(category "following", or the daily digest): never the one who did it, never
someone the feature's own receivers already told (the author, the members), never
a suspended or deleted account (``followers`` returns active accounts only).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import events
from komoro_engage.core.follows import followable_items, scopes_of
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.follows import follow_automatically, followers, followers_of
from komoro_engage.notifications.services import notify, path_for
from komoro_engage.plan.models import Indicator, Measure


def on_took_part(user: Any, target_type: str = "", target_id: int = 0, **_kwargs) -> None:
    follow_automatically(user.id, target_type, target_id)


def on_comment_posted(comment: Any, **_kwargs) -> None:
    """A commenter follows the proposal or project they commented on."""
    for target_type, column in (("proposal", "proposal_id"), ("project", "project_id")):
        target_id = getattr(comment, column, None)
        if target_id is not None:
            follow_automatically(comment.author_id, target_type, target_id)


def _tell_followers(target_type: str, target_id: int, kind: str, params: dict, link: str,
                    target: object, actor: User | None, leave_out: Collection[int] = ()) -> None:
    """Each active follower of the item, or of its district, policy areas or measures
    (core/follows.scopes_of), once, but the actor and those in ``leave_out``; only while
    the item is public (a hidden proposal's followers hear nothing). Someone who follows
    only a scope is told which one."""
    if not followable_items(target_type, [target_id]):
        return
    skip = {*leave_out, *([actor.id] if actor is not None else [])}
    item = (str(target_type), target_id)
    names: dict[tuple[str, int], str] = {}
    for person, via in followers_of([item, *scopes_of(target_type, target_id)],
                                    leave_out=skip):
        extra = {}
        if via != item:
            if via not in names:
                named = followable_items(via[0], [via[1]]).get(via[1])
                names[via] = named.title if named else ""
            extra = {"via": via[0], "via_title": names[via]}
        notify(person, kind, {**params, **extra}, link=link, target=target)


def on_proposal_status_changed(proposal: Any, actor: User | None = None, after: str = "",
                               **_kwargs) -> None:
    _tell_followers("proposal", proposal.id, kinds.FOLLOWED_PROPOSAL_STATUS,
                    {"title": proposal.title, "status": str(after)},
                    path_for("proposals.detail", proposal_id=proposal.id), proposal, actor,
                    leave_out=[proposal.author_id])  # the author hears it as the author


def on_proposal_answered(proposal: Any, actor: User | None = None, **_kwargs) -> None:
    _tell_followers("proposal", proposal.id, kinds.FOLLOWED_PROPOSAL_ANSWERED,
                    {"title": proposal.title},
                    path_for("proposals.detail", proposal_id=proposal.id), proposal, actor,
                    leave_out=[proposal.author_id])


def on_project_status_changed(project: Any, actor: User | None = None, after: str = "",
                              reason: str = "", people: Collection[User] = (),
                              **_kwargs) -> None:
    """Followers besides the members and waiting list (told by receivers.py)."""
    _tell_followers("project", project.id, kinds.FOLLOWED_PROJECT_STATUS,
                    {"title": project.title, "project_status": str(after), "reason": reason},
                    path_for("projects.detail", project_id=project.id), project, actor,
                    leave_out=[person.id for person in people])


def on_activity_day_added(day: Any, actor: User | None = None, project_id: int = 0,
                          project_title: str = "", **_kwargs) -> None:
    _tell_followers("project", project_id, kinds.FOLLOWED_ACTIVITY_DAY,
                    {"title": project_title, "day_title": day.title,
                     "starts_at": day.starts_at.isoformat()},
                    path_for("projects.detail", project_id=project_id), day, actor)


def on_progress_report_filed(report: Any, actor: User | None = None, project_id: int = 0,
                             project_title: str = "", **_kwargs) -> None:
    _tell_followers("project", project_id, kinds.FOLLOWED_REPORT, {"title": project_title},
                    path_for("projects.detail", project_id=project_id), report, actor)


def on_indicator_actual_confirmed(_sender: Any, actor: User | None = None,
                                  indicator_id: int = 0, fiscal_year: int = 0,
                                  **_kwargs) -> None:
    """A confirmed actual of a measure's indicator: the measure's followers and those of
    its policy area, once each."""
    row = db.session.execute(
        select(Indicator.name, Measure.id, Measure.title, Measure.code, Measure.policy_area_id)
        .join(Measure, Measure.id == Indicator.measure_id)
        .where(Indicator.id == indicator_id)).first()
    if row is None:
        return
    name, measure_id, title, code, area_id = row
    skip = {actor.id} if actor is not None else set()
    people = {person.id: person for person in followers("measure", measure_id, leave_out=skip)}
    if area_id is not None:
        people.update((person.id, person) for person in
                      followers("policy_area", area_id, leave_out=skip) if person.id not in people)
    measure = db.session.get(Measure, measure_id)
    for person in people.values():
        notify(person, kinds.FOLLOWED_EVALUATION,
               {"title": title, "indicator": name, "fiscal_year": fiscal_year},
               link=path_for("plan.measure", code=code), target=measure)


def connect() -> None:
    """Subscribe to the domain events (idempotent: blinker keeps one connection each)."""
    for signal, receiver in (
        (events.took_part, on_took_part),
        (events.comment_posted, on_comment_posted),
        (events.proposal_status_changed, on_proposal_status_changed),
        (events.proposal_answered, on_proposal_answered),
        (events.project_status_changed, on_project_status_changed),
        (events.activity_day_added, on_activity_day_added),
        (events.progress_report_filed, on_progress_report_filed),
        (events.indicator_actual_confirmed, on_indicator_actual_confirmed),
    ):
        signal.connect(receiver, weak=False)
