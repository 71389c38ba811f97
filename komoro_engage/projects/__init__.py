"""協働 projects: organise, join, activity days, progress reports."""

from komoro_engage.projects import views_days, views_people  # noqa: F401  (routes)
from komoro_engage.projects.views import bp

__all__ = ["bp"]
