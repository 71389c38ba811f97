"""Proposals: post, browse, search, support, comment, report."""

from komoro_engage.proposals import erasure, views_engagement  # noqa: F401  (routes
from komoro_engage.proposals.views import bp

erasure.register()  # account deletion keeps or removes proposals and comments

__all__ = ["bp"]
