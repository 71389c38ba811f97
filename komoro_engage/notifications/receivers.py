"""What the notifications package does when another feature reports an event.

Each receiver runs inside the sender's transaction (see core/events.py) and
writes the notification and its outbox mail there. Nobody is told about their
own action, and deleted or suspended accounts are left alone. Receivers know
the senders only by what core/events.py promises of them, not by their classes.
"""

from __future__ import annotations

from typing import Any

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.core import events
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.services import notify, path_for


def _concerns(recipient: User | None, actor: User | None) -> bool:
    if recipient is None or recipient.status != UserStatus.ACTIVE:
        return False
    return actor is None or actor.id != recipient.id


def _tell(recipient: User | None, item: Any, actor: User | None, kind: str, link: str,
          **params) -> None:
    """Notify ``recipient`` of what ``actor`` did to ``item`` (which has a ``title``)."""
    if _concerns(recipient, actor):
        notify(recipient, kind, {"title": item.title, **params}, link=link, target=item)


def _tell_author(proposal: Any, actor: User | None, kind: str, **params) -> None:
    _tell(proposal.author, proposal, actor, kind,
          path_for("proposals.detail", proposal_id=proposal.id), **params)


def on_approved(proposal: Any, actor: User | None = None, **_kwargs) -> None:
    _tell_author(proposal, actor, kinds.PROPOSAL_APPROVED)


def on_sent_back(proposal: Any, actor: User | None = None, reason: str = "",
                 **_kwargs) -> None:
    _tell_author(proposal, actor, kinds.PROPOSAL_SENT_BACK, reason=reason)


def on_status_changed(proposal: Any, actor: User | None = None, after: str = "",
                      **_kwargs) -> None:
    _tell_author(proposal, actor, kinds.PROPOSAL_STATUS_CHANGED, status=str(after))


def on_answered(proposal: Any, actor: User | None = None, **_kwargs) -> None:
    _tell_author(proposal, actor, kinds.PROPOSAL_ANSWERED)


def _tell_creator(project: Any, actor: User | None, kind: str, **params) -> None:
    _tell(db.session.get(User, project.created_by_id), project, actor, kind,
          path_for("projects.detail", project_id=project.id), **params)


def on_project_approved(project: Any, actor: User | None = None, **_kwargs) -> None:
    _tell_creator(project, actor, kinds.PROJECT_APPROVED)


def on_project_sent_back(project: Any, actor: User | None = None, reason: str = "",
                         **_kwargs) -> None:
    _tell_creator(project, actor, kinds.PROJECT_SENT_BACK, reason=reason)


def on_project_status_changed(project: Any, actor: User | None = None, after: str = "",
                              reason: str = "", people: list[User] = (), **_kwargs) -> None:
    """Members and the waiting list hear the new status and the notice written for them."""
    for person in people:
        _tell(person, project, actor, kinds.PROJECT_STATUS_CHANGED,
              path_for("projects.detail", project_id=project.id), project_status=after,
              reason=reason)


def on_project_message_sent(message: Any, actor: User | None = None, project_title: str = "",
                            url: str = "", people: list[User] = (), **_kwargs) -> None:
    """Each recipient of an organisers' message gets it once, in the bell and by mail."""
    for person in people:
        if _concerns(person, actor):
            notify(person, kinds.PROJECT_MESSAGE,
                   {"title": project_title, "subject": message.subject, "body": message.body},
                   link=url, target=message, dedupe_key=f"project_message:{message.id}")


def on_comment_posted(comment: Any, **_kwargs) -> None:
    """A reply tells the author of the comment it answers (not when they reply to themselves)."""
    if comment.parent_id is None:
        return
    parent = db.session.get(type(comment), comment.parent_id)
    replier = db.session.get(User, comment.author_id)
    if parent is None or not _concerns(parent.author, replier):
        return
    kind, subject = comment.kind, comment.subject  # a proposal, a 協働 project …
    page = path_for(kind.page_endpoint, **{kind.id_arg: subject.id})
    notify(parent.author, kinds.COMMENT_REPLY,
           {"title": subject.title, "nickname": replier.nickname},
           link=f"{page}#comment-{comment.id}", target=comment)


def on_activity_reminder_due(day: object, user: User, title: str, url: str, starts_at,
                             **_kwargs) -> None:
    """The day before an activity day; once per person and day, however often it is sent."""
    if not _concerns(user, None):
        return
    key = f"reminder:{getattr(day, '__tablename__', 'day')}:{getattr(day, 'id', '')}"
    notify(user, kinds.ACTIVITY_REMINDER, {"title": title, "starts_at": starts_at.isoformat()},
           link=url, target=day, dedupe_key=key[:80])


def connect() -> None:
    """Subscribe to the domain events (idempotent: blinker keeps one connection each)."""
    for signal, receiver in (
        (events.proposal_approved, on_approved),
        (events.proposal_sent_back, on_sent_back),
        (events.proposal_status_changed, on_status_changed),
        (events.proposal_answered, on_answered),
        (events.project_approved, on_project_approved),
        (events.project_sent_back, on_project_sent_back),
        (events.project_status_changed, on_project_status_changed),
        (events.project_message_sent, on_project_message_sent),
        (events.comment_posted, on_comment_posted),
        (events.activity_reminder_due, on_activity_reminder_due),
    ):
        signal.connect(receiver, weak=False)
