"""協働 projects: organise, join, activity days, progress reports."""

from komoro_engage.projects import (
    erasure,
    followable,
    participation,
    photo_access,
    sections,
    text_sources,
)
from komoro_engage.projects.blueprint import bp
from komoro_engage.projects.views.pages import register_commentable

erasure.register()  # account deletion leaves projects and frees places
participation.register()  # the evaluation counts projects, participants, days, hours
sections.register()  # a measure's and an organisation's projects on their pages
register_commentable()  # projects take comments
photo_access.register()  # progress reports' photos are public
text_sources.register()  # comments on projects on the map of residents' words
followable.register()  # published projects may be followed

__all__ = ["bp"]
