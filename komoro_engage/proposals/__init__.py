"""Proposals: post, browse, search, support; comments and reports on them via their packages."""

from komoro_engage.proposals import erasure, views_engagement, views_staff  # noqa: F401  (routes
from komoro_engage.proposals.views import bp

erasure.register()  # account deletion keeps or removes proposals
views_engagement.register()  # proposals take comments and reports

__all__ = ["bp"]
