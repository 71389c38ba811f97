"""協働 projects: organise, join, activity days, progress reports."""

from komoro_engage.projects import erasure, sections, views_days, views_people  # noqa: F401  (routes
from komoro_engage.projects.views import bp

erasure.register()  # account deletion leaves projects and frees places
sections.register()  # a measure's and an organisation's projects on their pages

__all__ = ["bp"]
