"""Japanese-aware full-text search (a bigram index maintained on write), and the map of
residents' free text (市民の声の地図): texts from the features' registered sources
(core/text_sources.py) grouped into themes by a command, shown from stored snapshots.

Features call :mod:`komoro_engage.search.services` to index their rows and to turn a
query into a SQL ``SELECT`` of matching ids.
"""

from komoro_engage.search import erasure, sections
from komoro_engage.search.blueprint import bp

sections.register()  # a link to the map on a measure's page and on the dashboard
erasure.register()  # a deleted account's words leave the stored maps

__all__ = ["bp"]
