"""協働 projects: organise, join, activity days, progress reports."""

from komoro_engage.projects import erasure, views_days, views_people  # noqa: F401  (routes
from komoro_engage.projects.views import bp, register_commentable

erasure.register()  # account deletion leaves projects and frees places
register_commentable()  # projects take comments

__all__ = ["bp"]
