"""The city plan: editions, policy areas, measures, indicators, priority items, districts."""

from komoro_engage.plan.views import bp

__all__ = ["bp"]
