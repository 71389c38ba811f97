"""Polis's statement statistics: vote counts, representativeness and consensus.

Pure numpy over a participant × statement matrix holding 1 (agree), -1 (disagree),
0 (pass) and NaN (not seen). The formulas are Polis's (``math/repness.clj`` and
``math/stats.clj``), and red-dwarf's port of them is the test oracle
(tests/consultations/test_opinion_groups_oracle.py):

- probabilities are smoothed as (n + 1) / (seen + 2), so one vote never reads as 100 %;
- ``prop_test`` is Polis's one-proportion z statistic, ``two_prop_test`` its two-proportion
  test of a group against everyone else counted (both with one added to each count);
- a z value is significant when it exceeds 1.2816, Polis's one-sided 90 % bound.

One difference from red-dwarf 0.4, where it leaves Polis: when a group has
significant statements but none qualifies as its "best agree", Polis still shows the
significant ones and so do we; red-dwarf returns no statement for that group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z_90 = 1.2816  # Polis's z-sig-90?: one-sided 90 % confidence
PICK_MAX = 5  # Polis shows at most five representative (and consensus) statements


@dataclass(frozen=True)
class Counts:
    """Per statement (arrays over the matrix's columns) for one set of participants."""

    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray

    @property
    def passed(self) -> np.ndarray:
        return self.seen - self.agree - self.disagree

    @property
    def p_agree(self) -> np.ndarray:
        return (self.agree + 1) / (self.seen + 2)

    @property
    def p_disagree(self) -> np.ndarray:
        return (self.disagree + 1) / (self.seen + 2)


def count_votes(matrix: np.ndarray) -> Counts:
    """Agree, disagree and seen counts per column of ``matrix`` (rows may be none)."""
    seen = ~np.isnan(matrix)
    return Counts(agree=np.sum(matrix == 1, axis=0), disagree=np.sum(matrix == -1, axis=0),
                  seen=np.sum(seen, axis=0))


def prop_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Polis's one-proportion z statistic: is the share above one half?"""
    successes, trials = successes + 1, trials + 1
    return 2 * np.sqrt(trials) * (successes / trials - 0.5)


def two_prop_test(succ_in, succ_out, n_in, n_out) -> np.ndarray:
    """Polis's two-proportion z statistic: is the group's share above the others'?"""
    succ_in, succ_out, n_in, n_out = (np.asarray(a, dtype=float) + 1
                                      for a in (succ_in, succ_out, n_in, n_out))
    pi_hat = (succ_in + succ_out) / (n_in + n_out)
    spread = np.sqrt(pi_hat * (1 - pi_hat) * (1 / n_in + 1 / n_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (succ_in / n_in - succ_out / n_out) / spread
    # Everyone agreeing leaves no spread: Polis answers 0 (no evidence either way).
    return np.where(pi_hat == 1, 0.0, z)


@dataclass(frozen=True)
class GroupComparison:
    """One group against the other counted participants, per statement (Polis's names)."""

    inside: Counts
    others: Counts
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def compare_group(matrix: np.ndarray, members: np.ndarray) -> GroupComparison:
    """Polis's conv-repness for one group: ``members`` is a boolean mask over the rows."""
    inside, others = count_votes(matrix[members]), count_votes(matrix[~members])
    return GroupComparison(
        inside=inside, others=others, pa=inside.p_agree, pd=inside.p_disagree,
        pat=prop_test(inside.agree, inside.seen), pdt=prop_test(inside.disagree, inside.seen),
        ra=inside.p_agree / others.p_agree, rd=inside.p_disagree / others.p_disagree,
        rat=two_prop_test(inside.agree, others.agree, inside.seen, others.seen),
        rdt=two_prop_test(inside.disagree, others.disagree, inside.seen, others.seen))


@dataclass(frozen=True)
class Pick:
    """A representative statement: its column and Polis's finalized statistics."""

    column: int
    direction: str
    probability: float
    ratio: float
    z_probability: float
    z_ratio: float

    @property
    def metric(self) -> float:
        """Polis's repness-metric, the order of the significant statements."""
        return self.ratio * self.z_ratio * self.probability * self.z_probability


def _finalize(c: GroupComparison, column: int) -> Pick:
    """Polis's finalize-cmt-stats: agree or disagree, whichever is more representative."""
    if c.rat[column] > c.rdt[column]:
        values = c.pa, c.ra, c.pat, c.rat, "agree"
    else:
        values = c.pd, c.rd, c.pdt, c.rdt, "disagree"
    p, r, pt, rt, direction = values
    return Pick(column, direction, float(p[column]), float(r[column]), float(pt[column]),
                float(rt[column]))


def _beats_best_agree(c: GroupComparison, column: int, best: int | None) -> bool:
    """Polis's beats-best-agr?: the statement the group most clearly agrees with."""
    if c.inside.agree[column] == 0 and c.inside.disagree[column] == 0:
        return False
    if best is not None and c.ra[best] > 1.0:
        def score(i):
            return c.ra[i] * c.rat[i] * c.pa[i] * c.pat[i]
        return bool(score(column) > score(best))
    if best is not None:
        return bool(c.pa[column] * c.pat[column] > c.pa[best] * c.pat[best])
    return bool(c.pat[column] > Z_90 or (c.ra[column] > 1.0 and c.pa[column] > 0.5))


def representative(c: GroupComparison, columns: list[int]) -> list[Pick]:
    """Polis's select-rep-comments for one group, over the given (moderated-in) columns."""
    best_agree, best = None, None
    for column in columns:
        if _beats_best_agree(c, column, best_agree):
            best_agree = column
        strongest = max(c.rat[column], c.rdt[column])
        if best is None or strongest > max(c.rat[best], c.rdt[best]):
            best = column
    sufficient = [column for column in columns
                  if (c.rat[column] > Z_90 and c.pat[column] > Z_90)
                  or (c.rdt[column] > Z_90 and c.pdt[column] > Z_90)]
    head = [_finalize(c, best_agree)] if best_agree is not None else []
    if not sufficient:
        return head or ([_finalize(c, best)] if best is not None else [])
    picks = sorted((_finalize(c, column) for column in sufficient if column != best_agree),
                   key=lambda pick: -pick.metric)
    chosen = (head + picks)[:PICK_MAX]
    return ([p for p in chosen if p.direction == "agree"]
            + [p for p in chosen if p.direction == "disagree"])


def consensus(groups: list[Counts]) -> list[tuple[int, str, float]]:
    """Statements every group agrees (or disagrees) with, as (column, direction, probability).

    Polis's consensus test (probability above one half, z significant at 90 %) is asked
    of each group rather than of everyone pooled, so a large group cannot make a
    consensus alone; the probability is Polis's group-aware consensus, the product of the
    groups' smoothed probabilities, and orders the statements (at most five a direction).
    """
    found = []
    for direction in ("agree", "disagree"):
        p = np.array([g.p_agree if direction == "agree" else g.p_disagree for g in groups])
        z = np.array([prop_test(g.agree if direction == "agree" else g.disagree, g.seen)
                      for g in groups])
        passes = np.all((p > 0.5) & (z > Z_90), axis=0)
        product = np.prod(p, axis=0)
        columns = sorted(np.flatnonzero(passes), key=lambda i: -product[i])[:PICK_MAX]
        found += [(int(i), direction, float(product[i])) for i in columns]
    return found
