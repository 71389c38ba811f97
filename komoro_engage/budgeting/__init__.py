"""市民予算: participatory budgeting with results computed by pabutools (tally.py)."""

from komoro_engage.budgeting import erasure, participation
from komoro_engage.budgeting.blueprint import bp

erasure.register()  # ballots in the personal data download
participation.register()  # the evaluation counts ballots and funded projects per measure

__all__ = ["bp"]
