"""協働 projects: organise, join, activity days, progress reports."""

from komoro_engage.projects import erasure, views_days, views_people  # noqa: F401  (routes
from komoro_engage.projects.views import bp

erasure.register()  # account deletion leaves projects and frees places

__all__ = ["bp"]
