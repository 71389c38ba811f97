"""Notifications: the bell, mail through an outbox, email choices and unsubscribing."""

from komoro_engage.notifications import erasure, receivers, templating
from komoro_engage.notifications.blueprint import bp

receivers.connect()  # subscribe to the domain events of core/events.py
erasure.register()  # account deletion removes a person's notifications and mail
templating.register(bp)

__all__ = ["bp"]
