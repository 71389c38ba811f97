"""Residents' free text mapped into themes, without a language model.

Each text becomes its Japanese content words (``japanese_words.py``), weighed by
TF-IDF; the matrix is reduced by truncated SVD (latent semantic analysis) and
clustered by k-means at two levels: the number of top clusters is the one with
the best silhouette in :data:`TOP_K`, and each top cluster of at least
:data:`SPLIT_MIN` texts is split again when its parts are clearly apart. Each
cluster carries its distinctive words (highest mean TF-IDF inside against the
rest) and the three texts nearest its centre, so a reader sees what it is about
in residents' own words.

Keys and staff labels survive a recomputation where a cluster persists
(``text_map_keys.py``). Pure: no database, no Flask; deterministic for a seed
and a set of texts, whatever their order.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from komoro_engage.search import text_map_keys
from komoro_engage.search.japanese_words import content_words

MIN_TEXTS = 6  # fewer texts make no map: nothing to group
TOP_K = range(2, 9)
MEAN_SIZE = 5  # at most one top cluster per this many texts: no themes of one or two texts
SPLIT_MIN = 12
SUB_K = range(2, 5)
SUB_MIN_SILHOUETTE = 0.1  # a top cluster is split only when its parts are clearly apart
COMPONENTS = 50
SILHOUETTE_SAMPLE = 2000
WORDS = 6
NEAREST = 3


@dataclass(frozen=True)
class Text:
    key: str  # "proposal:12", "comment:40", "statement:7"
    text: str


@dataclass(frozen=True)
class Cluster:
    key: str  # "c3", "c3.7": carried over from the previous map when the cluster persists
    parent: str | None  # None for a top-level cluster
    size: int
    words: tuple[str, ...]  # distinctive words, most distinctive first
    nearest: tuple[str, ...]  # keys of the texts nearest the centre
    members: tuple[str, ...]
    label: str | None = None  # staff's name, carried over when the cluster persists


@dataclass(frozen=True)
class TextMap:
    texts: int  # texts given, including those without a content word (in no cluster)
    clusters: tuple[Cluster, ...]  # top clusters by size, each followed by its sub-clusters
    serial: int = 0  # the highest number a key has used: a vanished cluster's key is never reused

    def top(self) -> tuple[Cluster, ...]:
        return tuple(c for c in self.clusters if c.parent is None)

    def children(self, key: str) -> tuple[Cluster, ...]:
        return tuple(c for c in self.clusters if c.parent == key)

    def with_labels(self, labels: Mapping[str, str]) -> TextMap:
        """The same map with staff's current names (by cluster key) in place."""
        return replace(self, clusters=tuple(replace(c, label=labels.get(c.key))
                                            for c in self.clusters))

    def to_json(self) -> dict:
        return {"texts": self.texts, "serial": self.serial, "clusters": [
            {"key": c.key, "parent": c.parent, "size": c.size, "words": list(c.words),
             "nearest": list(c.nearest), "members": list(c.members), "label": c.label}
            for c in self.clusters]}

    @classmethod
    def from_json(cls, data: Mapping) -> TextMap:
        clusters = tuple(Cluster(
            key=str(c["key"]), parent=c.get("parent"), size=int(c["size"]),
            words=tuple(c.get("words", ())), nearest=tuple(c.get("nearest", ())),
            members=tuple(c.get("members", ())), label=c.get("label"))
            for c in data.get("clusters", ()))
        return cls(texts=int(data.get("texts", 0)), clusters=clusters,
                   serial=int(data.get("serial", 0)))


@dataclass(frozen=True)
class _Group:
    rows: np.ndarray  # row numbers in the feature matrix
    parent: int | None  # index of the parent group
    points: np.ndarray  # the rows' reduced vectors, in the space the group was found in


def map_texts(texts: Sequence[Text], *, previous: TextMap | None = None,
              seed: int = 0) -> TextMap:
    """Cluster ``texts`` at two levels; keys and labels carried over from ``previous``."""
    unique = sorted({t.key: t for t in texts}.values(), key=lambda t: t.key)
    serial = _serial(previous)
    matrix, vocabulary = _features(unique)
    if matrix is None:
        return TextMap(texts=len(unique), clusters=(), serial=serial)
    mappable = np.flatnonzero(matrix.getnnz(axis=1))
    if len(mappable) < MIN_TEXTS:
        return TextMap(texts=len(unique), clusters=(), serial=serial)
    matrix = matrix[mappable]
    keys = [unique[i].key for i in mappable]
    points = _reduce(matrix, seed)
    most = max(TOP_K.start, min(TOP_K.stop - 1, len(keys) // MEAN_SIZE))
    labels = _cluster(points, range(TOP_K.start, most + 1), seed, min_score=-1.0)
    if labels is None:
        return TextMap(texts=len(unique), clusters=(), serial=serial)
    tops = sorted((np.flatnonzero(labels == label) for label in np.unique(labels)),
                  key=lambda rows: (-len(rows), keys[rows[0]]))
    groups: list[_Group] = []
    for rows in tops:
        groups.append(_Group(rows, None, points[rows]))
        parent = len(groups) - 1
        groups.extend(_Group(sub_rows, parent, sub_points)
                      for sub_rows, sub_points in _split(matrix, rows, seed))
    clusters = _describe(groups, matrix, keys, vocabulary)
    clusters, serial = _carry_over(clusters, groups, previous, serial)
    return TextMap(texts=len(unique), clusters=tuple(clusters), serial=serial)


def _features(texts: Sequence[Text]):
    """TF-IDF of content words; character bigrams and trigrams if no text has a word."""
    # scikit-learn is imported here and in the functions below, where a map is computed
    # (a command): importing it takes seconds, and every web worker imports this module.
    from sklearn.feature_extraction.text import TfidfVectorizer
    if not texts:
        return None, None
    documents = [t.text for t in texts]
    # A word in a single text tells nothing about which texts belong together.
    min_df = 2 if len(texts) >= 3 * MIN_TEXTS else 1
    for vectorizer in (TfidfVectorizer(analyzer=content_words, sublinear_tf=True, min_df=min_df),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3),
                                       sublinear_tf=True, min_df=min_df)):
        try:
            matrix = vectorizer.fit_transform(documents).tocsr()
        except ValueError:  # an empty vocabulary: every text was stop words or signs
            continue
        return matrix, vectorizer.get_feature_names_out()
    return None, None


def _reduce(matrix, seed: int) -> np.ndarray:
    """Rows of ``matrix`` in at most :data:`COMPONENTS` SVD dimensions, unit length."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize
    # A handful of texts has a handful of themes: more dimensions would keep their noise.
    components = min(COMPONENTS, matrix.shape[0] // 3, matrix.shape[1] - 1)
    if components < 2:
        return normalize(matrix.toarray())
    svd = TruncatedSVD(n_components=components, random_state=seed)
    # Identical texts have no variance: the explained-variance ratio (unused) divides by 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        return normalize(svd.fit_transform(matrix))


def _cluster(points: np.ndarray, ks: range, seed: int, *, min_score: float):
    """k-means labels for the k in ``ks`` with the best silhouette, or None."""
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import silhouette_score
    distinct = len(np.unique(points.round(6), axis=0))
    best = None
    for k in ks:
        if k >= distinct:
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(points)
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(points, labels, sample_size=min(len(points), SILHOUETTE_SAMPLE),
                                 random_state=seed)
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    if best is None or best[0] < min_score:
        return None
    return best[1]


def _split(matrix, rows: np.ndarray, seed: int):
    """Sub-clusters of a top cluster (row numbers, points of its own space), maybe none."""
    if len(rows) < SPLIT_MIN:
        return []
    sub_matrix = matrix[rows]
    sub_matrix = sub_matrix[:, np.flatnonzero(sub_matrix.getnnz(axis=0))]
    points = _reduce(sub_matrix, seed)
    labels = _cluster(points, SUB_K, seed, min_score=SUB_MIN_SILHOUETTE)
    if labels is None:
        return []
    parts = sorted((np.flatnonzero(labels == label) for label in np.unique(labels)),
                   key=lambda part: (-len(part), rows[part[0]]))
    return [(rows[part], points[part]) for part in parts]


def _describe(groups, matrix, keys, vocabulary) -> list[Cluster]:
    """Size, distinctive words (against the rest, or the siblings) and nearest texts."""
    clusters = []
    for group in groups:
        rest = (groups[group.parent].rows if group.parent is not None
                else np.arange(matrix.shape[0]))
        others = np.setdiff1d(rest, group.rows)
        inside = np.asarray(matrix[group.rows].mean(axis=0)).ravel()
        outside = (np.asarray(matrix[others].mean(axis=0)).ravel() if len(others)
                   else np.zeros_like(inside))
        score = inside - outside
        order = np.lexsort((vocabulary, -score))
        words = tuple(str(vocabulary[i]) for i in order[:WORDS] if score[i] > 0)
        closeness = group.points @ group.points.mean(axis=0)
        member_keys = [keys[r] for r in group.rows]
        nearest = sorted(range(len(member_keys)), key=lambda i: (-closeness[i], member_keys[i]))
        clusters.append(Cluster(key="", parent=None, size=len(group.rows), words=words,
                                nearest=tuple(member_keys[i] for i in nearest[:NEAREST]),
                                members=tuple(sorted(member_keys))))
    return clusters


def _serial(previous: TextMap | None) -> int:
    if previous is None:
        return 0
    return max(previous.serial, text_map_keys.highest_number([c.key for c in previous.clusters]))


def _carry_over(clusters: list[Cluster], groups: list[_Group], previous: TextMap | None,
                serial: int) -> tuple[list[Cluster], int]:
    """Give each cluster the key and label of the previous cluster it is, or a new key."""
    old_top = previous.top() if previous else ()
    top_index = [i for i, g in enumerate(groups) if g.parent is None]
    same = text_map_keys.match([frozenset(clusters[i].members) for i in top_index],
                               [frozenset(c.members) for c in old_top])
    result = list(clusters)
    for position, i in enumerate(top_index):
        old = old_top[same[position]] if position in same else None
        if old is None:
            serial += 1
        result[i] = replace(clusters[i], key=old.key if old else f"c{serial}",
                            label=old.label if old else None)
        child_index = [j for j, g in enumerate(groups) if g.parent == i]
        old_children = previous.children(old.key) if old and previous else ()
        same_child = text_map_keys.match([frozenset(clusters[j].members) for j in child_index],
                                         [frozenset(c.members) for c in old_children])
        for child_position, j in enumerate(child_index):
            old_child = (old_children[same_child[child_position]]
                         if child_position in same_child else None)
            if old_child is None:
                serial += 1
            result[j] = replace(clusters[j], parent=result[i].key,
                                key=old_child.key if old_child else f"{result[i].key}.{serial}",
                                label=old_child.label if old_child else None)
    return result, serial
