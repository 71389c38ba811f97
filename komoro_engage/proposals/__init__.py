"""Proposals: post, browse, search, support, comment, report."""

from komoro_engage.proposals import erasure, sections, views_engagement, views_staff  # noqa: F401  (routes
from komoro_engage.proposals.views import bp

erasure.register()  # account deletion keeps or removes proposals and comments
sections.register()  # the proposals linked to a measure, on its page

__all__ = ["bp"]
