"""Why each project won or lost, in plain words, from the stored trace of the rules.

The MES trace comes from the computation itself: tally.py runs pabutools' MES with its
analytics on and keeps, per ballot, what its equal share paid for each project and what
was left; a project's supporters' leftover is the sum over its supporters. Under MES a
project that lost was unaffordable at the end: its cost per supporter was more than its
supporters had left on average. The completion and greedy then show the money left when
the project's turn came.
"""

from __future__ import annotations

from flask_babel import gettext as _


def yen(amount: float) -> str:
    return f"{round(amount):,}"


def funded(project: dict, rule: str) -> bool:
    return project["greedy"] if rule == "greedy" else project["mes"] or project["completion"]


def reason(project: dict, rule: str, share: float) -> str:
    """One or two sentences on why ``project`` (a stored budget's entry) won or lost."""
    votes, cost = project["votes"], project["cost"]
    if votes == 0:
        return _("この事業を選んだ人はいませんでした。")
    if rule == "greedy":
        if project["greedy"]:
            return _("得票順で%(rank)d位でした。"
                     "順番が来たとき残りの予算 %(left)s円 に収まり、採択されました。",
                     rank=project["rank"], left=yen(project["greedy_left"]))
        return _("得票順で%(rank)d位でした。"
                 "順番が来たとき残りの予算は %(left)s円 で、費用 %(cost)s円 に足りませんでした。",
                 rank=project["rank"], left=yen(project["greedy_left"]), cost=yen(cost))
    per_supporter = cost / votes
    if project["mes"]:
        return _("支持した%(votes)d人が、それぞれの持ち分（1人 %(share)s円）から"
                 "費用 %(cost)s円 を分け合って負担しました（1人あたり約 %(each)s円）。",
                 votes=votes, share=yen(share), cost=yen(cost), each=yen(per_supporter))
    left_each = project["supporters_left"] / votes
    why = _("1人あたりの費用 %(each)s円（費用 %(cost)s円 ÷ 支持者 %(votes)d人）が、"
            "支持者に残っていた持ち分の平均 %(left)s円 を上回りました（合計 %(total)s円）。",
            each=yen(per_supporter), cost=yen(cost), votes=votes, left=yen(left_each),
            total=yen(project["supporters_left"]))
    if project["completion"]:
        return why + " " + _("均等割のあとに残った予算から、得票順で採択されました。")
    remaining = project["completion_left"] or 0
    return why + " " + _("均等割のあとに残った予算 %(left)s円 でも費用に足りませんでした。",
                         left=yen(remaining))


def my_vote(ballot_choices: dict[int, int], budgets: list[dict], shares: dict[str, dict],
            rule: str) -> list[dict]:
    """For each budget a ballot counted in: its share, what it paid for, what was left, and
    each chosen project with whether it was funded and why."""
    rows = []
    for budget in budgets:
        chosen = [p for p in budget["projects"] if p["id"] in ballot_choices]
        share = shares.get(budget["key"])
        if not chosen or share is None:
            continue
        rows.append({
            "budget": budget, "share": share["share"], "left": share["left"],
            "paid": {int(pid): yen_ for pid, yen_ in share["paid"].items()},
            "projects": [{"entry": p, "funded": funded(p, rule),
                          "reason": reason(p, rule, budget["share"])} for p in chosen],
        })
    return rows
