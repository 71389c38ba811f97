"""Proposals: post, browse, search, support, comment, report."""

from komoro_engage.proposals import views_engagement, views_staff  # noqa: F401  (routes)
from komoro_engage.proposals.views import bp

__all__ = ["bp"]
