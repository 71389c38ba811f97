"""Surveys: staff build them, residents (and, where allowed, visitors) answer them page
by page, results are counted per respondent and published when the survey closes."""

from komoro_engage.surveys import sections, text_sources
from komoro_engage.surveys.blueprint import bp

sections.register()  # quick polls on the home page, a measure's page, a project's page
text_sources.register()  # approved free-text answers on the free-text map (search/text_map.py)

__all__ = ["bp"]
