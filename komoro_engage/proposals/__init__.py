"""Proposals: post, browse, search, support, comment, report."""

from komoro_engage.proposals import views_engagement  # noqa: F401  (registers its routes)
from komoro_engage.proposals.views import bp

__all__ = ["bp"]
