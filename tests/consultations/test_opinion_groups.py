"""Opinion groups (issue 17): planted groups are found, thin data never raises, k stays put."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from komoro_engage.consultations import opinion_clusters, opinion_stats
from komoro_engage.consultations.opinion_groups import (
    AGREE,
    DISAGREE,
    NO_GROUP,
    PASS,
    KChoice,
    OpinionMap,
    Vote,
    analyse,
    vote_matrix,
)
from komoro_engage.consultations.opinion_planted import planted_votes


def planted_label(opinion_map: OpinionMap, group_of: dict[int, int]) -> dict[int, int]:
    """Each found group's planted group (the one most of its members came from)."""
    return {g.label: Counter(group_of[p] for p in g.participants).most_common(1)[0][0]
            for g in opinion_map.groups}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_groups_are_recovered(seed):
    planted = planted_votes(groups=3, per_group=60, statements=30, noise=0.1, seen=0.75,
                            seed=seed)
    found = analyse(planted.votes, seed=seed)
    assert found.participants_total == found.participants_counted == 180
    assert len(found.groups) == 3 and found.k_choice.k == 3
    truth = [planted.group_of[point.participant] for point in found.points]
    assert adjusted_rand_score(truth, [point.group for point in found.points]) >= 0.9
    assert sorted(len(g.participants) for g in found.groups) == pytest.approx([60] * 3, abs=3)


@pytest.mark.parametrize("groups", [2, 4])
def test_other_numbers_of_planted_groups_are_recovered(groups):
    planted = planted_votes(groups=groups, per_group=50, statements=34, noise=0.08, seed=7)
    found = analyse(planted.votes, seed=7)
    assert found.k_choice.k == groups
    truth = [planted.group_of[point.participant] for point in found.points]
    assert adjusted_rand_score(truth, [point.group for point in found.points]) >= 0.9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_representative_statements_are_the_planted_ones(seed):
    planted = planted_votes(seed=seed)
    found = analyse(planted.votes, seed=seed)
    planted_of = planted_label(found, planted.group_of)
    assert sorted(planted_of.values()) == [0, 1, 2]
    for group in found.groups:
        own = set(planted.own[planted_of[group.label]])
        assert len(group.representative) == opinion_stats.PICK_MAX
        for statement in group.representative:
            assert statement.statement in own and statement.direction == "agree"
            assert statement.probability > 0.7 and statement.ratio > 2
            assert statement.z_probability > opinion_stats.Z_90
            assert statement.z_ratio > opinion_stats.Z_90
            assert statement.in_group.seen + statement.others.seen <= 180
            assert statement.probability == statement.in_group.p_agree


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_consensus_is_what_every_group_agrees_on(seed):
    planted = planted_votes(seed=seed, consensus=4)
    found = analyse(planted.votes, seed=seed)
    assert {c.statement for c in found.consensus} == set(planted.consensus)
    assert {c.direction for c in found.consensus} == {"agree"}
    probabilities = [c.probability for c in found.consensus]
    assert probabilities == sorted(probabilities, reverse=True)


def test_consensus_against_is_found_too():
    planted = planted_votes(seed=3)
    flipped = [Vote(v.participant, v.statement, -v.value) if v.statement in planted.consensus
               else v for v in planted.votes]
    found = analyse(flipped, seed=3)
    assert {(c.statement, c.direction) for c in found.consensus} == {
        (s, "disagree") for s in planted.consensus}


def test_a_majority_alone_is_no_consensus():
    """Two groups disagree, one agrees: Polis's pooled test would pass it, ours does not."""
    planted = planted_votes(seed=4, consensus=0, own=8)
    found = analyse(planted.votes, seed=4)
    assert found.consensus == ()


def test_group_zero_is_the_largest():
    planted = planted_votes(groups=3, per_group=40, seed=5)
    # Drop half of planted group 0 and all but 20 of group 1: sizes 20, 20, 40.
    keep = {p for p, g in planted.group_of.items()
            if g == 2 or (g == 0 and p % 2) or (g == 1 and p % 40 < 20)}
    found = analyse([v for v in planted.votes if v.participant in keep], seed=5)
    sizes = [len(g.participants) for g in found.groups]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] >= 38


def test_participants_are_counted_after_seven_votes_or_every_statement():
    planted = planted_votes(seed=6)
    few = [Vote(1000, statement, AGREE) for statement in planted.statements[:6]]
    enough = [Vote(1001, statement, PASS) for statement in planted.statements[:7]]
    found = analyse(planted.votes + few + enough, seed=6)
    assert found.participants_total == 182 and found.participants_counted == 181
    assert {p.participant for p in found.points} == set(planted.group_of) | {1001}
    small = [Vote(p, s, AGREE if p != s else DISAGREE) for p in range(1, 7) for s in range(1, 4)]
    assert analyse(small[:-1]).participants_counted == 5  # three statements: three votes


THIN = {
    "no votes": [],
    "one participant": [Vote(1, s, AGREE) for s in range(1, 10)],
    "one statement": [Vote(p, 1, AGREE if p % 2 else DISAGREE) for p in range(1, 40)],
    "all pass": [Vote(p, s, PASS) for p in range(1, 40) for s in range(1, 10)],
    "everyone identical": [Vote(p, s, AGREE if s % 3 else DISAGREE)
                           for p in range(1, 40) for s in range(1, 10)],
    "three participants": [Vote(p, s, AGREE if (p + s) % 2 else DISAGREE)
                           for p in range(1, 4) for s in range(1, 10)],
}


@pytest.mark.parametrize("votes", THIN.values(), ids=THIN.keys())
def test_thin_data_gives_no_groups_and_never_raises(votes):
    found = analyse(votes)
    assert found.groups == () and found.consensus == ()
    assert all(point.group == NO_GROUP for point in found.points)
    assert len(found.overall) == len({v.statement for v in votes})
    assert OpinionMap.from_json(json.loads(json.dumps(found.to_json()))) == found


def test_two_distinct_camps_of_few_people_are_two_groups():
    votes = [Vote(p, s, AGREE if (p <= 3) == (s <= 4) else DISAGREE)
             for p in range(1, 7) for s in range(1, 9)]
    found = analyse(votes)
    assert [sorted(g.participants) for g in found.groups] in ([[1, 2, 3], [4, 5, 6]],
                                                              [[4, 5, 6], [1, 2, 3]])


def test_points_without_groups_when_too_few_to_cluster():
    votes = [Vote(p, s, AGREE if (p + s) % 2 else DISAGREE) for p in (1, 2, 3) for s in range(9)]
    found = analyse(votes)
    assert len(found.points) == 3 and found.groups == ()


def test_the_latest_vote_counts_and_only_the_given_statements():
    votes = [Vote(1, 1, AGREE), Vote(1, 1, DISAGREE), Vote(1, 2, AGREE), Vote(2, 3, AGREE)]
    participants, columns, matrix = vote_matrix(votes, statements=[1, 2, 4])
    assert participants == [1] and columns == [1, 2, 4]
    assert matrix[0, :2].tolist() == [DISAGREE, AGREE] and np.isnan(matrix[0, 2])
    found = analyse(votes, statements=[4, 2, 1])
    assert found.statements == (1, 2, 4)
    assert [(s.statement, s.agree, s.disagree, s.seen) for s in found.overall] == [
        (1, 0, 1, 1), (2, 1, 0, 1), (4, 0, 0, 0)]
    assert found.overall[2].p_agree == 0.5  # (0 + 1) / (0 + 2)


def test_a_vote_is_agree_disagree_or_pass():
    with pytest.raises(ValueError, match="1, -1 or 0"):
        analyse([Vote(1, 1, 2)])


def test_json_round_trip_keeps_everything_in_plain_types():
    planted = planted_votes(seed=8)
    found = analyse(planted.votes, seed=8)
    data = found.to_json()
    text = json.dumps(data)  # raises on numpy numbers or tuples of objects
    assert data["version"] == 1 and "np." not in text
    again = OpinionMap.from_json(json.loads(text))
    assert again == found and again.groups[0].representative[0].in_group.seen > 0
    assert [k for k, _ in again.silhouettes] == [2, 3, 4, 5]


def test_the_same_votes_give_the_same_map():
    planted = planted_votes(seed=9)
    assert analyse(planted.votes, seed=9) == analyse(list(reversed(planted.votes)), seed=9)


def test_k_stays_until_a_new_k_wins_four_runs_in_a_row():
    planted = planted_votes(seed=10)  # three planted groups: k = 3 wins the silhouette
    state = KChoice(k=2, challenger=None, challenger_wins=0)
    for run in range(1, opinion_clusters.K_BUFFER):
        found = analyse(planted.votes, previous=state, seed=10)
        assert found.k_choice == KChoice(k=2, challenger=3, challenger_wins=run)
        assert len(found.groups) == 2
        state = found.k_choice
    found = analyse(planted.votes, previous=state, seed=10)
    assert found.k_choice == KChoice(k=3, challenger=None, challenger_wins=0)
    assert len(found.groups) == 3


def test_smooth_k_resets_when_the_shown_k_wins_again():
    smooth = opinion_clusters.smooth_k
    available = {2, 3, 4, 5}
    assert smooth(3, None, None, 0, available) == (3, None, 0)  # first run: the winner
    assert smooth(4, 3, None, 0, available) == (3, 4, 1)
    assert smooth(4, 3, 4, 1, available) == (3, 4, 2)
    assert smooth(3, 3, 4, 2, available) == (3, None, 0)  # the run of wins is broken
    assert smooth(5, 3, 4, 2, available) == (3, 5, 1)  # a new challenger starts over
    assert smooth(4, 3, 4, 3, available) == (4, None, 0)  # fourth win in a row
    assert smooth(2, 5, None, 0, {2, 3}) == (2, None, 0)  # 5 no longer possible


def test_thin_runs_keep_the_previous_k_choice():
    state = KChoice(k=4, challenger=2, challenger_wins=1)
    assert analyse([], previous=state).k_choice == state


def test_polis_tests_and_smoothing():
    assert opinion_stats.prop_test(np.array([9]), np.array([9]))[0] == pytest.approx(
        2 * np.sqrt(10) * 0.5)
    assert opinion_stats.two_prop_test([5], [5], [5], [5])[0] == 0.0  # pi-hat 1: Polis's 0
    # (9/11 - 3/11) / sqrt(12/22 · 10/22 · 2/11), one added to every count
    assert opinion_stats.two_prop_test([8], [2], [10], [10])[0] == pytest.approx(2.5690, abs=1e-4)


def test_a_group_that_only_disagrees_still_shows_its_statements():
    """Polis: significant statements are shown even when none is a 'best agree'."""
    members = np.array([True] * 10 + [False] * 10)
    matrix = np.full((20, 3), float(AGREE))
    matrix[:10, :] = DISAGREE
    comparison = opinion_stats.compare_group(matrix, members)
    picks = opinion_stats.representative(comparison, [0, 1, 2])
    assert [(p.column, p.direction) for p in picks] == [(0, "disagree"), (1, "disagree"),
                                                        (2, "disagree")]
