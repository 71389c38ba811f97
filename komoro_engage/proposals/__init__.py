"""Proposals: post, browse, search, support; comments and reports on them via their packages."""

from komoro_engage.proposals import (
    erasure,
    followable,
    participation,
    photo_access,
    sections,
    text_sources,
    waiting,
)
from komoro_engage.proposals.blueprint import bp
from komoro_engage.proposals.views import detail as detail_views

erasure.register()  # account deletion keeps or removes proposals
participation.register()  # the evaluation counts proposals, supports and comments
waiting.register()  # the staff's digest counts pending proposals, reports, answers due
sections.register()  # the proposals linked to a measure, on its page
detail_views.register()  # proposals take comments and reports
photo_access.register()  # a proposal's photos are seen by those who may read it
text_sources.register()  # proposals and their comments on the map of residents' words
followable.register()  # public proposals may be followed

__all__ = ["bp"]
