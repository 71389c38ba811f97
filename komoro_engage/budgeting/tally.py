"""Results of a budget vote, computed by pabutools: greedy by votes and the Method of Equal
Shares (MES) completed greedily. Pure: no Flask, no database; ``results.py`` feeds it rows.

The two rules, as pabutools runs them:

- **greedy** — ``greedy_utilitarian_welfare`` with a satisfaction of cost × points: the
  satisfaction per yen is then the project's votes (approval, knapsack) or points
  (cumulative), so projects are taken in order of votes and skipped when they no longer fit.
- **mes** — ``method_of_equal_shares`` (cost satisfaction for approval and knapsack ballots,
  the points for cumulative ones), then the money MES leaves unspent goes to the remaining
  projects by the greedy rule above: pabutools' ``completion_by_rule_combination`` with
  ``[method_of_equal_shares, greedy_utilitarian_welfare]``. The completion by raising each
  voter's share step by step (Add1) re-runs MES once per step: 10 s and more for 5,000
  ballots, so the greedy completion is the one used. We run the two steps ourselves (the
  same calls in the same order) to keep MES's trace: what each voter paid for what.

``outcome(instance, profile, rule)`` is the one definition of a rule's winners; the test
that recomputes the exported ``.pb`` file calls pabutools the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pabutools.election import (
    AbstractCumulativeProfile,
    Additive_Cardinal_Sat,
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    Project,
)
from pabutools.election.pabulib import election_as_pabulib_string
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

RULES = ("greedy", "mes")
# META `rule` of the .pb file, as pabulib names rules.
PABULIB_RULE = {"greedy": "greedy", "mes": "equalshares/greedy"}
RULE_OF_PABULIB = {value: key for key, value in PABULIB_RULE.items()}


def _points_times_cost(_instance, _profile, ballot, project, _precomputed):
    return ballot[project] * project.cost if project in ballot else 0


class PointsCostSat(AdditiveSatisfaction):
    """Points × cost: greedy's satisfaction per yen is then the project's points."""

    def __init__(self, instance, profile, ballot):
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, _points_times_cost)


def _is_points(profile) -> bool:
    return isinstance(profile, AbstractCumulativeProfile)


def supported(instance: Instance, profile) -> Instance:
    """The projects someone voted for: a project nobody chose is never funded, though
    greedy and the completion would take it while money is left."""
    chosen = {project for ballot in profile for project in ballot}
    return Instance((p for p in instance if p in chosen), budget_limit=instance.budget_limit)


def greedy(instance: Instance, profile) -> list[Project]:
    """Projects by votes (points), each taken if it still fits the budget."""
    return list(greedy_utilitarian_welfare(
        instance, profile, sat_class=PointsCostSat if _is_points(profile) else Cost_Sat))


def equal_shares(instance: Instance, profile, analytics: bool = False):
    """MES alone (its BudgetAllocation, with ``details`` when ``analytics``)."""
    return method_of_equal_shares(
        instance, profile, sat_class=Additive_Cardinal_Sat if _is_points(profile) else Cost_Sat,
        analytics=analytics)


def complete(instance: Instance, profile, funded) -> list[Project]:
    """The projects the greedy rule adds with the money left after ``funded``."""
    done = list(greedy_utilitarian_welfare(
        instance, profile, sat_class=PointsCostSat if _is_points(profile) else Cost_Sat,
        initial_budget_allocation=list(funded)))
    return [project for project in done if project not in set(funded)]


def outcome(instance: Instance, profile, rule: str) -> set[str]:
    """The names of the projects ``rule`` funds (among those someone voted for)."""
    instance = supported(instance, profile)
    if rule == "greedy":
        return {project.name for project in greedy(instance, profile)}
    funded = list(equal_shares(instance, profile))
    return {project.name for project in funded + complete(instance, profile, funded)}


@dataclass(frozen=True)
class Election:
    """One budget (the city's, or a district's) and the ballots that decide it."""

    budget: int
    points: bool  # cumulative ballots; else approval (knapsack ballots are approvals too)
    costs: dict[int, int]  # project id -> cost in yen
    ballots: dict[int, dict[int, int]]  # ballot id -> {project id: points (1 for approval)}
    names: dict[int, str] = field(default_factory=dict)
    points_total: int | None = None  # points each voter may share out (cumulative)


def to_pabutools(election: Election) -> tuple[Instance, object, list[int]]:
    """Instance, profile and the ballot id of each ballot of the profile, in order."""
    projects = {pid: Project(str(pid), cost) for pid, cost in sorted(election.costs.items())}
    instance = Instance(projects.values(), budget_limit=election.budget)
    ballot_ids, ballots = [], []
    for ballot_id, choices in sorted(election.ballots.items()):
        chosen = {pid: pts for pid, pts in choices.items() if pid in projects and pts > 0}
        if not chosen:
            continue
        if election.points:
            ballot = CumulativeBallot({projects[pid]: pts for pid, pts in chosen.items()})
        else:
            ballot = ApprovalBallot(projects[pid] for pid in chosen)
        ballot.meta = {"voter_id": str(ballot_id)}
        ballot_ids.append(ballot_id)
        ballots.append(ballot)
    if election.points:
        most = max((sum(b.values()) for b in election.ballots.values()), default=1)
        profile = CumulativeProfile(ballots, legal_max_total_score=election.points_total or most)
    else:
        profile = ApprovalProfile(ballots)
    return instance, profile, ballot_ids


@dataclass
class Tally:
    """What the results page, the .pb file and "what did my vote do" need."""

    votes: dict[int, int]  # supporters per project
    points: dict[int, int]  # points per project (= votes for approval)
    greedy: list[int]  # funded by greedy, in the order taken
    mes: list[int]  # funded by MES proper, in the order taken
    completion: list[int]  # added by the greedy completion after MES
    share: float  # each voter's equal share of the budget under MES
    paid: dict[int, dict[int, float]]  # ballot id -> {project id: yen paid under MES}
    left: dict[int, float]  # ballot id -> yen of the share left unspent by MES
    supporters_left: dict[int, float]  # project -> what its supporters had left after MES
    greedy_left: dict[int, float]  # project -> budget remaining at its turn under greedy
    completion_left: dict[int, float]  # project -> money left at its turn in the completion

    def winners(self, rule: str) -> list[int]:
        return self.greedy if rule == "greedy" else self.mes + self.completion


def _turns(order: list[Project], budget: float, start: float = 0.0) -> dict[int, float]:
    """What remained of ``budget`` when each project's turn came, in greedy's order."""
    remaining, seen = budget - start, {}
    for project in order:
        seen[int(project.name)] = float(remaining)
        if project.cost <= remaining:
            remaining -= project.cost
    return seen


def _greedy_order(instance: Instance, profile, points: dict[int, int]) -> list[Project]:
    # greedy_utilitarian_welfare's order: votes (points) down, then its lexicographic ties.
    return sorted(instance, key=lambda p: (-points.get(int(p.name), 0), p.name))


def tally(election: Election) -> Tally:
    """Both rules on ``election``, with MES's trace per ballot and per project."""
    instance, profile, ballot_ids = to_pabutools(election)
    instance = supported(instance, profile)
    votes = {pid: 0 for pid in election.costs}
    points = dict(votes)
    for ballot in profile:
        for project in ballot:
            votes[int(project.name)] += 1
            points[int(project.name)] += int(ballot[project]) if election.points else 1
    greedy_funded = greedy(instance, profile)
    mes_alloc = equal_shares(instance, profile, analytics=True)
    mes_funded = list(mes_alloc)
    completion = complete(instance, profile, mes_funded)
    voters = len(ballot_ids)
    share = election.budget / voters if voters else 0.0
    paid: dict[int, dict[int, float]] = {ballot_id: {} for ballot_id in ballot_ids}
    left = {ballot_id: float(share) for ballot_id in ballot_ids}
    details = getattr(mes_alloc, "details", None)
    for iteration in getattr(details, "iterations", None) or []:
        project = iteration.selected_project
        if project is None or iteration.voters_budget_after_selection is None:
            continue
        for index, (before, after) in enumerate(zip(iteration.voters_budget,
                                                    iteration.voters_budget_after_selection,
                                                    strict=True)):
            if before != after:
                paid[ballot_ids[index]][int(project.name)] = float(before - after)
                left[ballot_ids[index]] = float(after)
    supporters_left = {pid: 0.0 for pid in election.costs}
    for index, ballot in enumerate(profile):
        for project in ballot:
            supporters_left[int(project.name)] += left[ballot_ids[index]]
    order = _greedy_order(instance, profile, points)
    mes_cost = sum(p.cost for p in mes_funded)
    return Tally(
        votes=votes, points=points, greedy=[int(p.name) for p in greedy_funded],
        mes=[int(p.name) for p in mes_funded], completion=[int(p.name) for p in completion],
        share=float(share), paid=paid, left=left, supporters_left=supporters_left,
        greedy_left=_turns(order, election.budget),
        completion_left=_turns([p for p in order if p not in set(mes_funded)],
                               election.budget, float(mes_cost)))


def pabulib_text(election: Election, rule: str, winners: list[int], description: str,
                 votes: dict[int, int]) -> str:
    """The election as a pabulib ``.pb`` file: META names the rule, PROJECTS marks the
    winners (``selected``) with their votes."""
    instance, profile, _ids = to_pabutools(election)
    instance.meta = {"description": _one_field(description), "country": "Japan",
                     "unit": "Komoro", "instance": _one_field(description),
                     "rule": PABULIB_RULE[rule], "currency": "JPY"}
    chosen = set(winners)
    for project in instance:
        pid = int(project.name)
        instance.project_meta[project] = {
            "votes": votes.get(pid, 0), "selected": 1 if pid in chosen else 0,
            "name": _one_field(election.names.get(pid, "")) or project.name}
    return _whole_points(election_as_pabulib_string(instance, profile))


def _whole_points(text: str) -> str:
    """pabutools writes points as floats ("3.0"), which its own parser refuses: write the
    whole numbers they are."""
    head, found, votes = text.partition("\nVOTES\n")
    if not found:
        return text
    lines = votes.split("\n")
    columns = lines[0].split(";")
    if "points" not in columns:
        return text
    at = columns.index("points")
    for number, line in enumerate(lines[1:], start=1):
        cells = line.split(";")
        if len(cells) > at:
            cells[at] = ",".join(str(int(float(v))) for v in cells[at].split(","))
            lines[number] = ";".join(cells)
    return head + found + "\n".join(lines)


def _one_field(text: str) -> str:
    """A value that stays one field of the file's ``;``-separated lines."""
    return " ".join(text.replace(";", "；").split())
