"""Notifications: the bell, mail through an outbox, email choices and unsubscribing."""

from komoro_engage.core import metrics
from komoro_engage.notifications import (
    erasure,
    follow_receivers,
    followable_plan,
    outbox,
    receivers,
    templating,
)
from komoro_engage.notifications.blueprint import bp

receivers.connect()  # subscribe to the domain events of core/events.py
follow_receivers.connect()  # taking part follows; followers hear of changes
followable_plan.register()  # measures, policy areas and districts may be followed
erasure.register()  # account deletion removes a person's notifications and mail
templating.register(bp)
metrics.register_gauge("komoro_outbox_backlog", "Mails in the outbox still to be sent "
                       "(due, waiting for a retry, or being sent)", outbox.backlog)

__all__ = ["bp"]
