"""Every URL of proposals, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "proposals.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.proposals import labels
from komoro_engage.proposals.views import detail, pages

bp = blueprint("proposals", __name__, views=(pages, detail), urls="""
    # views/pages.py
    GET        /proposals                               pages.index
    GET        /proposals/mine                          pages.mine
    GET POST   /proposals/new                           pages.new
    GET POST   /proposals/<int:proposal_id>/edit        pages.edit
    POST       /proposals/<int:proposal_id>/submit      pages.submit
    POST       /proposals/<int:proposal_id>/withdraw    pages.withdraw
    # views/detail.py
    GET        /proposals/<int:proposal_id>             detail.detail
    POST       /proposals/<int:proposal_id>/support     detail.support
    POST       /proposals/<int:proposal_id>/unsupport   detail.unsupport
    POST       /proposals/<int:proposal_id>/comments    detail.comment
    GET POST   /proposals/<int:proposal_id>/report      detail.report_proposal
""")

labels.register(bp)  # status names, permission predicates for templates
