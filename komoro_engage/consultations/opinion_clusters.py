"""Polis's opinion map: PCA of the vote matrix, then k-means with k chosen by silhouette.

Pure numpy / scikit-learn, no hand-written linear algebra.

Projection (Polis's ``math/pca.clj``, as red-dwarf ports it): a statement someone has
not seen is imputed with the statement's mean vote, so it moves them nowhere; PCA to
two components; each participant's point is then scaled by
sqrt(statements / statements they voted on), so that people who voted on few
statements are not all bunched at the centre.

Clustering differs from Polis in two ways, both on purpose:

- Polis first groups participants into up to 100 "base clusters" and clusters those;
  the base clusters make its incremental updates cheap and are not part of the
  published method, and red-dwarf (the test oracle) leaves them out too. We cluster
  the participants themselves: 2,000 of them take well under a second.
- Polis warm-starts k-means from the previous run's centres; red-dwarf without them
  starts from the first points in sorted order, which on planted groups falls into a
  split of one group and a merge of two others (measured: adjusted Rand 0.44 at k = 3).
  We start from k-means++ with ten restarts (scikit-learn's KMeans), seeded.

The number of groups k is the one with the best silhouette among 2..5 (no more than
Polis allows for a small crowd: 2 + participants // 12), kept stable across runs by
:func:`smooth_k`.
"""

from __future__ import annotations

import numpy as np

K_MIN, K_MAX = 2, 5
# Polis's group-k-buffer: a new number of groups must win the silhouette on this many
# consecutive runs before it replaces the current one. Four is Polis's own value; with
# snapshots taken on a timer, it keeps one odd batch of votes from reshaping the map.
K_BUFFER = 4



def project(matrix: np.ndarray, seed: int) -> np.ndarray | None:
    """Two coordinates per row of ``matrix`` (NaN = not seen), or None when PCA cannot run.

    Columns must each hold at least one vote. None when there are fewer than two rows,
    no columns, or no variation at all (everyone voted alike).
    """
    # scikit-learn is imported here and below, where the map is computed (a command):
    # importing it takes seconds, and every web worker imports this module.
    from sklearn.decomposition import PCA
    rows, columns = matrix.shape
    if rows < 2 or columns < 1:
        return None
    imputed = np.where(np.isnan(matrix), np.nanmean(matrix, axis=0), matrix)
    if not np.any(np.var(imputed, axis=0) > 1e-12):
        return None
    components = min(2, rows, columns)
    points = PCA(n_components=components, random_state=seed).fit_transform(imputed)
    if components < 2:
        points = np.hstack([points, np.zeros((rows, 2 - components))])
    voted = np.count_nonzero(~np.isnan(matrix), axis=1)
    return points * np.sqrt(columns / np.maximum(1, voted))[:, np.newaxis]


def k_range(points: np.ndarray) -> range:
    """The numbers of groups worth trying on these points (empty: too few to group)."""
    participants = len(points)
    distinct = len(np.unique(points, axis=0))
    # Silhouette needs 2..n-1 labels; k-means needs k distinct points; Polis's max-k-fn
    # keeps a small crowd from being split into five.
    highest = min(K_MAX, distinct, participants - 1, 2 + participants // 12)
    return range(K_MIN, highest + 1) if participants >= 2 * K_MIN else range(0)


def cluster(points: np.ndarray, k: int, seed: int) -> np.ndarray:
    """k-means labels (0..k-1) of the points."""
    from sklearn.cluster import KMeans
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit(points).labels_


def silhouettes(points: np.ndarray, seed: int) -> dict[int, tuple[float, np.ndarray]]:
    """For each k worth trying: (silhouette score, labels)."""
    from sklearn.metrics import silhouette_score
    found = {}
    for k in k_range(points):
        labels = cluster(points, k, seed)
        if len(set(labels.tolist())) == k:
            found[k] = (float(silhouette_score(points, labels)), labels)
    return found


def smooth_k(best: int, k: int | None, challenger: int | None, wins: int,
             available: set[int]) -> tuple[int, int | None, int]:
    """Polis's group-k-smoother: (k to show, challenger, its consecutive wins).

    ``best`` won the silhouette this run; ``k`` is the number shown so far (None on the
    first run). A different number replaces ``k`` only after winning ``K_BUFFER`` runs
    in a row; any run that ``k`` wins again resets the challenge. When ``k`` can no
    longer be computed (fewer participants than before), the winner is taken at once.
    """
    if k is None or k not in available or best == k:
        return best, None, 0
    wins = wins + 1 if best == challenger else 1
    if wins >= K_BUFFER:
        return best, None, 0
    return k, best, wins
