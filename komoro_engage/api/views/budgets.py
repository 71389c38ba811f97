"""``/api/v1/budgets``: 市民予算 processes and their published results as open data."""

from __future__ import annotations

from flask import abort, jsonify, request, url_for

from komoro_engage.api.serializers import _time
from komoro_engage.budgeting import explain, queries, results
from komoro_engage.budgeting.permissions import results_public
from komoro_engage.core.numbers import page_number


def _process_json(process, published: bool) -> dict:
    return {
        "id": process.id, "title": process.title,
        "url": url_for("budgeting.detail", process_id=process.id, _external=True),
        "phase": str(process.phase), "ballot_kind": str(process.ballot_kind),
        "rule": process.rule, "total_amount": process.total_amount,
        "results_url": url_for("api.budget_results", process_id=process.id, _external=True)
        if published else None,
    }


def budgets():
    """The processes, newest first, a page at a time (three statements), each with a link
    to its results once published."""
    page = queries.processes(page_number(request.args.get("page")))
    published = queries.published_process_ids()
    return jsonify({"items": [_process_json(p, p.id in published) for p in page.items],
                    "page": page.page, "per_page": page.per_page, "total": page.total})


def budget_results(process_id: int):
    """A published result: both rules' winners per budget, each project's reason, turnout
    (groups under 10 merged), and the pabulib file of each budget."""
    process = queries.process_or_404(process_id)
    result = results.result_of(process)
    if not results_public(result):
        abort(404)
    rule = result.data["rule"]
    other = "greedy" if rule == "mes" else "mes"
    titles = {p.id: p.title for p in process.projects}
    turnout = result.data["turnout"]
    return jsonify({
        **_process_json(process, True), "published_at": _time(result.published_at),
        "other_rule": other,
        "budgets": [{
            "key": budget["key"],
            "district_id": None if budget["key"] == results.CITY else int(budget["key"][1:]),
            "amount": budget["amount"], "voters": budget["voters"],
            "share": round(budget["share"], 2),
            "pabulib_url": url_for("budgeting.pabulib_file", process_id=process.id,
                                   budget=budget["key"], _external=True),
            "projects": [{
                "id": p["id"], "title": titles.get(p["id"], ""), "cost": p["cost"],
                "votes": p["votes"], "points": p["points"],
                "funded": explain.funded(p, rule), "funded_other_rule": explain.funded(p, other),
                "reason": explain.reason(p, rule, budget["share"]),
            } for p in budget["projects"]],
        } for budget in result.data["budgets"]],
        "turnout": {
            "total": turnout["total"],
            "districts": [{"district_id": None if key == "other" else key, "ballots": n}
                          for key, n in turnout["districts"]],
            "age_bands": [{"age_band": None if key == "other" else key, "ballots": n}
                          for key, n in turnout["ages"]],
        },
    })
