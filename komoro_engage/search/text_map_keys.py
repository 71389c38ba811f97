"""Which cluster of a new map is which cluster of the previous one.

Staff name clusters (「冬の通学路」); the name must stay on the cluster when the map
is computed again with a few more texts, and leave with it when residents' texts
no longer form it. A new cluster *is* an old one when they share most members:
Jaccard similarity of their member keys at least :data:`SAME_CLUSTER`, each old
cluster matched at most once, the pairs chosen together so the overall overlap
is largest (the Hungarian assignment, ``scipy.optimize.linear_sum_assignment``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

SAME_CLUSTER = 0.5


_NUMBER = re.compile(r"(\d+)$")


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def match(new: Sequence[frozenset[str]], old: Sequence[frozenset[str]],
          threshold: float = SAME_CLUSTER) -> dict[int, int]:
    """{index in ``new``: index in ``old``} for the pairs that are the same cluster."""
    # Imported here, not at the top: scipy would slow every worker's start.
    from scipy.optimize import linear_sum_assignment
    if not new or not old:
        return {}
    overlap = np.array([[jaccard(a, b) for b in old] for a in new])
    rows, columns = linear_sum_assignment(overlap, maximize=True)
    return {int(r): int(c) for r, c in zip(rows, columns, strict=True)
            if overlap[r, c] >= threshold}


def highest_number(keys: Sequence[str]) -> int:
    """The largest number ending any of ``keys`` ("c3" → 3, "c3.12" → 12), 0 if none."""
    numbers = [int(m.group(1)) for key in keys if (m := _NUMBER.search(key))]
    return max(numbers, default=0)
