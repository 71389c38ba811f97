"""The opinion groups against red-dwarf, a published port of Polis's math, as test oracle.

On the same vote matrices (generated, with planted groups, noise, missing votes and
participants under the seven-vote bar):

- the projection equals red-dwarf's PCA pipeline (imputation, PCA, sparsity scaling);
- red-dwarf's silhouette search over k-means (its k-means++ start: see opinion_clusters
  for why not its "polis" start) picks the same k and the same partition;
- red-dwarf's whole Polis pipeline, started from our group centres, keeps our groups
  and selects the same representative statements with the same statistics, and its
  per-group statistics and group-aware consensus give our consensus statements.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from komoro_engage.consultations.opinion_groups import OpinionMap, analyse
from komoro_engage.consultations.opinion_planted import planted_votes
from komoro_engage.consultations.opinion_stats import Z_90

with warnings.catch_warnings():  # red-dwarf's pydantic models warn on import
    warnings.simplefilter("ignore")
    from reddwarf.implementations.polis import run_pipeline
    from reddwarf.sklearn.cluster import BestPolisKMeans

MATRICES = {
    "3 groups, 60 each, 30 statements": dict(groups=3, per_group=60, statements=30, seed=0),
    "3 groups, noisier": dict(groups=3, per_group=60, statements=30, noise=0.2, seed=1),
    "2 groups": dict(groups=2, per_group=70, statements=24, seed=2),
    "4 groups, 40 statements": dict(groups=4, per_group=45, statements=40, seed=3),
    "5 groups": dict(groups=5, per_group=40, statements=40, own=6, seed=4),
    "sparse, some under 7 votes": dict(groups=3, per_group=60, statements=30, seen=(4, 20),
                                       seed=5),
    "disagreed consensus": dict(groups=3, per_group=50, statements=30, seed=6),
}


def red_dwarf(votes, opinion_map: OpinionMap, seed: int):
    rows = [{"participant_id": v.participant, "statement_id": v.statement, "vote": v.value,
             "modified": 0} for v in votes]
    centres = [np.mean([(p.x, p.y) for p in opinion_map.points if p.group == g.label], axis=0)
               for g in opinion_map.groups]
    with warnings.catch_warnings():  # pandas' future-behaviour notes inside red-dwarf
        warnings.simplefilter("ignore")
        return run_pipeline(votes=rows, random_state=seed, force_group_count=len(centres),
                            init_centers=[c.tolist() for c in centres],
                            min_user_vote_threshold=min(7, len(opinion_map.statements)))


@pytest.fixture(scope="module", params=MATRICES.values(), ids=MATRICES.keys())
def case(request):
    planted = planted_votes(**request.param)
    votes = planted.votes
    if request.param["seed"] == 6:  # everyone disagrees with the consensus statements
        votes = [type(v)(v.participant, v.statement, -v.value) if v.statement in
                 planted.consensus else v for v in votes]
    seed = request.param["seed"]
    ours = analyse(votes, seed=seed)
    assert ours.groups, "every oracle matrix has groups to compare"
    return ours, red_dwarf(votes, ours, seed), seed


def test_projection_is_red_dwarfs(case):
    ours, theirs, _ = case
    for point in ours.points:
        assert theirs.participant_projections[point.participant] == pytest.approx(
            [point.x, point.y], abs=1e-9)
    counted = theirs.participants_df.index[theirs.participants_df["to_cluster"]].tolist()
    assert counted == [point.participant for point in ours.points]


def test_k_and_groups_are_red_dwarfs(case):
    ours, _, seed = case
    points = np.array([(p.x, p.y) for p in ours.points])
    search = BestPolisKMeans(k_bounds=[2, 5], init="k-means++", random_state=seed).fit(points)
    assert search.best_k_ == ours.k_choice.k
    assert adjusted_rand_score(search.best_estimator_.labels_,
                               [p.group for p in ours.points]) == 1.0


def label_map(ours: OpinionMap, theirs) -> dict[int, int]:
    """red-dwarf's group id -> ours, checking the partitions are the same."""
    clusters = theirs.participants_df["cluster_id"].dropna()
    mapping = {}
    for group in ours.groups:
        ids = {int(clusters[p]) for p in group.participants}
        assert len(ids) == 1, "red-dwarf split one of our groups"
        mapping[ids.pop()] = group.label
    assert len(mapping) == len(ours.groups)
    return mapping


def test_representative_statements_are_red_dwarfs(case):
    ours, theirs, _ = case
    mapping = label_map(ours, theirs)
    for their_id, statements in theirs.repness.items():
        group = ours.groups[mapping[int(their_id)]]
        assert [(s["tid"], s["repful-for"]) for s in statements] == [
            (r.statement, r.direction) for r in group.representative]
        for s, r in zip(statements, group.representative, strict=True):
            assert (s["n-success"], s["n-trials"]) == (
                r.in_group.agree if r.direction == "agree" else r.in_group.disagree,
                r.in_group.seen)
            assert [s["p-success"], s["p-test"], s["repness"], s["repness-test"]] == \
                pytest.approx([r.probability, r.z_probability, r.ratio, r.z_ratio])


def test_consensus_follows_red_dwarfs_group_statistics(case):
    """Each of red-dwarf's groups passes Polis's consensus test; ordered by its product."""
    ours, theirs, _ = case
    mapping = label_map(ours, theirs)
    stats = theirs.group_comment_stats
    for direction, p, z in (("agree", "pa", "pat"), ("disagree", "pd", "pdt")):
        passing = [tid for tid in ours.statements
                   if all(stats.loc[(gid, tid)][p] > 0.5 and stats.loc[(gid, tid)][z] > Z_90
                          for gid in mapping)]
        product = theirs.group_aware_consensus[direction]
        expected = sorted(passing, key=lambda tid: -product[tid])[:5]
        found = [c for c in ours.consensus if c.direction == direction]
        assert [c.statement for c in found] == expected
        assert [c.probability for c in found] == pytest.approx([product[t] for t in expected])
