"""Staff work on proposals: the console and its queues, links to measures (施策),
official answers (市の回答), the status history, the support threshold and proxy entry.

The blueprint lives in ``views.py`` so that services here can be imported by the
proposals package without importing any view.
"""
