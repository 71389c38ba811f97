"""Domain events that other features react to (notifications, above all).

The feature that owns an action sends its event from the service, inside the
same transaction as the change; receivers (e.g. the notifications package)
write their rows in that transaction too, so an event and its consequences are
committed or rolled back together. Senders never import receivers.

Every signal is sent with the changed object as ``sender`` plus the keyword
arguments listed beside it. Receivers use only these attributes of the sender,
so they need not import its feature: a proposal has ``id``, ``title`` and
``author``; a comment has ``id``, ``parent_id``, ``author_id``, ``proposal_id``
or ``project_id``, ``subject`` (with a ``title``) and ``author``, and its parent
is a row of the comment's own class.
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

# A proposal left moderation. kwargs: actor (User)
proposal_approved = _events.signal("proposal-approved")
# Staff sent a pending proposal back to its author. kwargs: actor, reason (str)
proposal_sent_back = _events.signal("proposal-sent-back")
# Any other status change (検討中 by the support threshold, 採用, 見送り, hidden,
# restored …). kwargs: actor (User | None for automatic changes), before (str), after (str)
proposal_status_changed = _events.signal("proposal-status-changed")
# The city published or changed its official answer (市の回答). kwargs: actor, answer
proposal_answered = _events.signal("proposal-answered")
# A comment was posted; receivers decide whom it concerns (e.g. the parent's author).
# kwargs: none (the comment knows its proposal, parent and author)
comment_posted = _events.signal("comment-posted")
# Staff published a 協働 project that waited for review (projects/review.py); the sender
# has ``id``, ``title`` and ``created_by_id``. kwargs: actor (User)
project_approved = _events.signal("project-approved")
# Staff sent a waiting project back to its organisers. kwargs: actor, reason (str)
project_sent_back = _events.signal("project-sent-back")
# A 協働 project moved along its lifecycle (募集開始, 実施中, 完了, 中止 …); the sender has
# ``id`` and ``title``. kwargs: actor (User | None), after (str, the new status), reason
# (str, the organisers' or staff's notice, may be empty), people (list[User]: its members
# and waiting list, who are told)
project_status_changed = _events.signal("project-status-changed")
# A project's organisers sent a message to its people (sender: the message, with ``id``,
# ``subject`` and ``body``). kwargs: actor (User, the author, not told), project_title (str),
# url (str, path of the message's page), people (list[User]: its recipients, once each)
project_message_sent = _events.signal("project-message-sent")
# A person should be reminded of an activity day tomorrow (sender: the activity day).
# kwargs: user (User), title (str), url (str, path of the project), starts_at (aware datetime)
activity_reminder_due = _events.signal("activity-reminder-due")
# Staff confirmed a value measured outside evaluation (a closed survey's share) as an
# indicator's actual for a fiscal year; evaluation records it (sender: the measuring row).
# kwargs: actor (User), indicator_id (int), fiscal_year (int), value (Decimal),
# source (str), source_url (str, path of the page the number comes from)
indicator_actual_confirmed = _events.signal("indicator-actual-confirmed")
# Someone took part in an item and so follows it (unless they stopped following it):
# the author of a submitted proposal, a supporter, the creator or a member of a 協働 project.
# Sender: the User. kwargs: target_type (str: "proposal", "project"), target_id (int)
took_part = _events.signal("took-part")
# An activity day was added to a public 協働 project (sender: the activity day, with ``id``,
# ``title`` and ``starts_at``). kwargs: actor (User), project_id (int), project_title (str)
activity_day_added = _events.signal("activity-day-added")
# Organisers filed a 活動報告 (sender: the report, with ``id``). kwargs: actor (User),
# project_id (int), project_title (str)
progress_report_filed = _events.signal("progress-report-filed")
