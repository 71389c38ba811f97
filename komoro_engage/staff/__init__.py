"""The staff console: screens and queues on top of the features (/staff, /admin/audit).

Queues (pending review, reports, awaiting an answer, overdue) and the actions on
their items, decisions from a proposal's page, answering and linking proposals,
proxy entry, suspending accounts and the audit log. What those screens change
lives with its feature: the proposal lifecycle in komoro_engage/proposals/lifecycle,
the audit log in komoro_engage/core/audit.py. URLs: blueprint.py.
"""

from komoro_engage.staff import erasure
from komoro_engage.staff.blueprint import bp

erasure.register()  # account deletion: the person leaves their departments

__all__ = ["bp"]
