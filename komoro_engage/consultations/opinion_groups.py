"""Opinion groups by Polis's published method, from the votes of one consultation.

``analyse(votes)`` builds the participant × statement matrix (agree 1, disagree -1,
pass 0, not seen: missing), counts a participant once they voted on at least
min(7, statements), projects everyone onto two principal components, groups the
counted participants with k-means (k by silhouette, kept stable across runs through
``previous``), and finds each group's representative statements and the statements
every group agrees on. The math is in :mod:`.opinion_clusters` and
:mod:`.opinion_stats`; the result is plain data that a snapshot stores as JSON.

Pure: numpy, scikit-learn and the standard library; no database, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
from threadpoolctl import threadpool_limits

from komoro_engage.consultations import opinion_clusters as clusters
from komoro_engage.consultations import opinion_stats as stats

AGREE, DISAGREE, PASS = 1, -1, 0  # Polis's signs (as in its participants-votes.csv)
NO_GROUP = -1  # Point.group when there are no groups
MIN_VOTES = 7  # Polis counts a participant after min(7, statements) votes
JSON_VERSION = 1


@dataclass(frozen=True)
class Vote:
    """One participant's latest vote on one statement."""

    participant: int
    statement: int
    value: int


@dataclass(frozen=True)
class Point:
    participant: int
    x: float
    y: float
    group: int  # a Group.label, or NO_GROUP


@dataclass(frozen=True)
class StatementStat:
    """One statement seen from one group (or from everyone)."""

    statement: int
    agree: int
    disagree: int
    passed: int
    seen: int
    p_agree: float  # Polis's (agree + 1) / (seen + 2)
    p_disagree: float


@dataclass(frozen=True)
class Representative:
    """A statement that sets a group apart: Polis's repness, for the group's stronger side."""

    statement: int
    direction: str  # "agree" | "disagree"
    probability: float  # of that vote inside the group
    ratio: float  # that probability over the other counted participants'
    z_probability: float
    z_ratio: float
    in_group: StatementStat
    others: StatementStat


@dataclass(frozen=True)
class Group:
    label: int  # 0 is the largest group
    participants: tuple[int, ...]
    representative: tuple[Representative, ...]


@dataclass(frozen=True)
class Consensus:
    statement: int
    direction: str  # "agree" | "disagree"
    probability: float  # product over the groups of their probability of that vote


@dataclass(frozen=True)
class KChoice:
    """The number of groups shown, and a different number's run of silhouette wins."""

    k: int
    challenger: int | None
    challenger_wins: int


@dataclass(frozen=True)
class OpinionMap:
    participants_total: int  # everyone who voted at all
    participants_counted: int  # voted on >= min(7, statements)
    statements: tuple[int, ...]  # columns, in matrix order (ascending ids)
    points: tuple[Point, ...]  # counted participants only
    groups: tuple[Group, ...]  # empty when too few participants to cluster
    consensus: tuple[Consensus, ...]
    overall: tuple[StatementStat, ...]  # every voter, one per statement
    k_choice: KChoice | None
    silhouettes: tuple[tuple[int, float], ...] = ()  # (k, score) for each k tried

    def to_json(self) -> dict:
        """Plain JSON types only (dicts, lists, numbers, strings, None)."""
        data = asdict(self)
        data["silhouettes"] = [list(pair) for pair in self.silhouettes]
        return {"version": JSON_VERSION, **_lists(data)}

    @classmethod
    def from_json(cls, data: dict) -> OpinionMap:
        def stat(d):
            return StatementStat(**d)

        def representative(d):
            return Representative(**{**d, "in_group": stat(d["in_group"]),
                                     "others": stat(d["others"])})

        return cls(
            participants_total=data["participants_total"],
            participants_counted=data["participants_counted"],
            statements=tuple(data["statements"]),
            points=tuple(Point(**p) for p in data["points"]),
            groups=tuple(Group(label=g["label"], participants=tuple(g["participants"]),
                               representative=tuple(representative(r)
                                                    for r in g["representative"]))
                         for g in data["groups"]),
            consensus=tuple(Consensus(**c) for c in data["consensus"]),
            overall=tuple(stat(s) for s in data["overall"]),
            k_choice=KChoice(**data["k_choice"]) if data["k_choice"] else None,
            silhouettes=tuple((int(k), float(s)) for k, s in data.get("silhouettes", ())))


def _lists(value):
    """asdict keeps tuples; JSON (and a round trip through it) has lists."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value


def vote_matrix(votes: Iterable[Vote], statements: Sequence[int] | None = None
                ) -> tuple[list[int], list[int], np.ndarray]:
    """(participant ids, statement ids, matrix): rows and columns in ascending id order.

    A later vote by the same person on the same statement replaces the earlier one.
    Votes on statements outside ``statements`` (when given) are left out, as are
    participants left with no vote.
    """
    allowed = set(statements) if statements is not None else None
    latest: dict[tuple[int, int], int] = {}
    for vote in votes:
        if vote.value not in (AGREE, DISAGREE, PASS):
            raise ValueError(f"a vote is 1, -1 or 0, not {vote.value!r}")
        if allowed is None or vote.statement in allowed:
            latest[(vote.participant, vote.statement)] = vote.value
    participants = sorted({p for p, _ in latest})
    columns = sorted(allowed if allowed is not None else {s for _, s in latest})
    row_of = {p: i for i, p in enumerate(participants)}
    column_of = {s: j for j, s in enumerate(columns)}
    matrix = np.full((len(participants), len(columns)), np.nan)
    if latest:
        keys = np.array([(row_of[p], column_of[s]) for p, s in latest], dtype=int)
        matrix[keys[:, 0], keys[:, 1]] = np.fromiter(latest.values(), dtype=float)
    return participants, columns, matrix


def _stat(statement: int, counts: stats.Counts, column: int) -> StatementStat:
    return StatementStat(
        statement=statement, agree=int(counts.agree[column]),
        disagree=int(counts.disagree[column]), passed=int(counts.passed[column]),
        seen=int(counts.seen[column]), p_agree=float(counts.p_agree[column]),
        p_disagree=float(counts.p_disagree[column]))


def _groups(matrix: np.ndarray, labels: np.ndarray, ids: list[int], columns: list[int],
            voted: list[int]) -> tuple[list[Group], list[Consensus]]:
    """Groups (with their representative statements) and the consensus across them.

    ``matrix`` holds the counted participants' rows; ``voted`` the columns anyone voted on.
    """
    groups, counts = [], []
    for label in range(int(labels.max()) + 1):
        members = labels == label
        comparison = stats.compare_group(matrix, members)
        counts.append(comparison.inside)
        representative = tuple(
            Representative(statement=columns[pick.column], direction=pick.direction,
                           probability=pick.probability, ratio=pick.ratio,
                           z_probability=pick.z_probability, z_ratio=pick.z_ratio,
                           in_group=_stat(columns[pick.column], comparison.inside, pick.column),
                           others=_stat(columns[pick.column], comparison.others, pick.column))
            for pick in stats.representative(comparison, voted))
        groups.append(Group(label=label, participants=tuple(np.array(ids)[members].tolist()),
                            representative=representative))
    # A statement nobody voted on has probability one half in every group: never consensus.
    consensus = [Consensus(statement=columns[j], direction=d, probability=p)
                 for j, d, p in stats.consensus(counts)]
    return groups, consensus


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Relabel so that group 0 is the largest (ties: the one met first)."""
    found = list(dict.fromkeys(labels.tolist()))
    order = sorted(found, key=lambda label: -int(np.sum(labels == label)))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping[label] for label in labels.tolist()], dtype=int)


def analyse(votes: Iterable[Vote], *, statements: Sequence[int] | None = None,
            previous: KChoice | None = None, seed: int = 0) -> OpinionMap:
    """The opinion map of these votes; ``previous`` is the last snapshot's ``k_choice``.

    Never raises on thin data: too few participants or statements give no groups,
    and points only when PCA can run.
    """
    # One thread for BLAS and OpenMP: the matrices are small, and on a busy 2-core
    # server threads that wait for each other made the analysis five times slower
    # (measured at 2,000 × 300: 1.2 s on one thread, 6–9 s on two beside other work).
    with threadpool_limits(limits=1):
        return _analyse(votes, statements, previous, seed)


def _analyse(votes: Iterable[Vote], statements: Sequence[int] | None,
             previous: KChoice | None, seed: int) -> OpinionMap:
    participants, columns, matrix = vote_matrix(votes, statements)
    everyone = stats.count_votes(matrix)
    overall = tuple(_stat(s, everyone, j) for j, s in enumerate(columns))
    voted = np.flatnonzero(everyone.seen > 0)
    needed = min(MIN_VOTES, len(voted))
    counted_mask = np.count_nonzero(~np.isnan(matrix), axis=1) >= max(needed, 1)
    counted = [p for p, keep in zip(participants, counted_mask, strict=True) if keep]
    empty = OpinionMap(participants_total=len(participants),
                       participants_counted=len(counted), statements=tuple(columns),
                       points=(), groups=(), consensus=(), overall=overall, k_choice=previous)
    projected = clusters.project(matrix[:, voted], seed) if len(voted) else None
    if projected is None:
        return empty
    points = projected[counted_mask]
    found = clusters.silhouettes(points, seed) if len(voted) >= 2 else {}
    if not found:
        return replace(empty, points=_points(counted, points, None))
    best = max(found, key=lambda k: found[k][0])  # ties: the fewer groups
    k, challenger, wins = clusters.smooth_k(
        best, previous.k if previous else None, previous.challenger if previous else None,
        previous.challenger_wins if previous else 0, set(found))
    labels = _by_size(found[k][1])
    groups, consensus = _groups(matrix[counted_mask], labels, counted, columns, voted.tolist())
    return OpinionMap(
        participants_total=len(participants), participants_counted=len(counted),
        statements=tuple(columns), points=_points(counted, points, labels),
        groups=tuple(groups), consensus=tuple(consensus), overall=overall,
        k_choice=KChoice(k=k, challenger=challenger, challenger_wins=wins),
        silhouettes=tuple((key, round(found[key][0], 6)) for key in sorted(found)))


def _points(ids: list[int], points: np.ndarray, labels: np.ndarray | None) -> tuple[Point, ...]:
    return tuple(Point(participant=pid, x=float(x), y=float(y),
                       group=int(labels[i]) if labels is not None else NO_GROUP)
                 for i, (pid, (x, y)) in enumerate(zip(ids, points, strict=True)))

