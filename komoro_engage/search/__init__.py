"""Japanese-aware full-text search: a bigram index maintained on write.

No views: features call :mod:`komoro_engage.search.services` to index their
rows and to turn a query into a SQL ``SELECT`` of matching ids.
"""
