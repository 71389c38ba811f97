"""The rules through pabutools, and the .pb file: recomputed from the file by pabutools,
the winners are the ones marked ``selected``."""

from __future__ import annotations

import random

import pytest
from pabutools.election import Cost_Sat
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

from komoro_engage.budgeting import tally


def generated(seed: int, points: bool = False, voters: int = 60, projects: int = 8):
    """A random election: popular projects are liked more; costs vary tenfold."""
    rng = random.Random(seed)
    costs = {pid: rng.randint(1, 10) * 100_000 for pid in range(1, projects + 1)}
    like = {pid: rng.random() for pid in costs}
    ballots = {}
    for ballot_id in range(1, voters + 1):
        chosen = {pid: (rng.randint(1, 5) if points else 1)
                  for pid in costs if rng.random() < like[pid]}
        ballots[ballot_id] = chosen or {1: 1}
    return tally.Election(budget=sum(costs.values()) // 2, points=points, costs=costs,
                          ballots=ballots, names={pid: f"事業;{pid}" for pid in costs})


def polarised():
    """The textbook case where the rules differ: 60 % like the three A projects, 40 % the
    two B ones. Greedy gives everything to the majority; MES funds the minority too."""
    costs = {1: 100, 2: 100, 3: 100, 4: 100, 5: 100}
    ballots = {b: {1: 1, 2: 1, 3: 1} for b in range(1, 61)}
    ballots.update({b: {4: 1, 5: 1} for b in range(61, 101)})
    return tally.Election(budget=300, points=False, costs=costs, ballots=ballots)


def selected(text: str) -> tuple[str, set[str]]:
    instance, _profile = parse_pabulib_from_string(text)
    return instance.meta["rule"], {p.name for p in instance
                                   if instance.project_meta[p]["selected"] == "1"}


def test_greedy_and_mes_differ_on_a_polarised_city():
    result = tally.tally(polarised())
    assert set(result.greedy) == {1, 2, 3}
    assert set(result.winners("mes")) & {4, 5}
    assert set(result.winners("mes")) != set(result.greedy)


ELECTIONS = [polarised(), *(generated(seed) for seed in range(6)),
             *(generated(seed, points=True) for seed in range(6, 10))]


@pytest.mark.parametrize("election", ELECTIONS)
@pytest.mark.parametrize("rule", tally.RULES)
def test_the_pb_file_recomputed_by_pabutools_gives_the_same_winners(election, rule):
    result = tally.tally(election)
    text = tally.pabulib_text(election, rule, result.winners(rule), "小諸市 市民予算", result.votes)
    pabulib_rule, marked = selected(text)
    assert pabulib_rule == tally.PABULIB_RULE[rule]
    assert marked == {str(pid) for pid in result.winners(rule)}
    instance, profile = parse_pabulib_from_string(text)
    assert tally.outcome(instance, profile, tally.RULE_OF_PABULIB[pabulib_rule]) == marked


def test_at_least_one_generated_election_tells_the_rules_apart():
    differ = [e for e in ELECTIONS[1:]
              if set(tally.tally(e).greedy) != set(tally.tally(e).winners("mes"))]
    assert differ


@pytest.mark.parametrize("election", ELECTIONS[:7])
def test_mes_with_completion_is_pabutools_own_rule_combination(election):
    """Our two steps are pabutools' completion_by_rule_combination, called directly (on
    the projects someone voted for)."""
    instance, profile, _ids = tally.to_pabutools(election)
    instance = tally.supported(instance, profile)
    combined = completion_by_rule_combination(
        instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat}, {"sat_class": Cost_Sat}])
    assert {p.name for p in combined} == tally.outcome(instance, profile, "mes")


def test_the_trace_adds_up():
    election = generated(3, voters=200)
    result = tally.tally(election)
    share = election.budget / len(result.left)
    for ballot_id, paid in result.paid.items():
        assert sum(paid.values()) + result.left[ballot_id] == pytest.approx(share)
        assert set(paid) <= set(election.ballots[ballot_id])
    for pid in result.mes:
        spent = sum(paid.get(pid, 0) for paid in result.paid.values())
        assert spent == pytest.approx(election.costs[pid])
    for pid in set(election.costs) - set(result.mes):
        if result.votes[pid]:
            assert result.supporters_left[pid] < election.costs[pid]


def test_a_project_nobody_chose_is_never_funded():
    election = tally.Election(budget=1000, points=False, costs={1: 100, 2: 100, 3: 100},
                              ballots={1: {1: 1}, 2: {1: 1, 2: 1}})
    result = tally.tally(election)
    assert 3 not in result.greedy and 3 not in result.winners("mes")
    text = tally.pabulib_text(election, "greedy", result.greedy, "", result.votes)
    instance, profile = parse_pabulib_from_string(text)
    assert len(instance) == 3 and tally.outcome(instance, profile, "greedy") == {"1", "2"}


def test_a_name_with_separators_stays_one_field():
    election = generated(1)
    text = tally.pabulib_text(election, "greedy", [], "説明;改行\nあり", {})
    instance, _profile = parse_pabulib_from_string(text)
    assert len(instance) == len(election.costs)
