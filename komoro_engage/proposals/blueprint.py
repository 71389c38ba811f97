"""Every URL of proposals, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "proposals.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.proposals import labels
from komoro_engage.proposals.views import engagement, pages

bp = blueprint("proposals", __name__, views=(engagement, pages), urls="""
    # views/engagement.py
    GET        /proposals/<int:proposal_id>             engagement.detail
    POST       /proposals/<int:proposal_id>/support     engagement.support
    POST       /proposals/<int:proposal_id>/unsupport   engagement.unsupport
    POST       /proposals/<int:proposal_id>/comments    engagement.comment
    GET POST   /proposals/<int:proposal_id>/report      engagement.report_proposal
    # views/pages.py
    GET        /proposals                               pages.index
    GET        /proposals/mine                          pages.mine
    GET POST   /proposals/new                           pages.new
    GET POST   /proposals/<int:proposal_id>/edit        pages.edit
    POST       /proposals/<int:proposal_id>/submit      pages.submit
    POST       /proposals/<int:proposal_id>/withdraw    pages.withdraw
""")

labels.register(bp)  # status names, permission predicates for templates
