"""Moderation: queues, staff actions and the append-only audit log."""
