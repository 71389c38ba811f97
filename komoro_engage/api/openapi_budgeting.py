"""The OpenAPI description of the 市民予算 endpoints, merged into the main document."""

from __future__ import annotations

from komoro_engage.accounts.services import AGE_BANDS
from komoro_engage.api.openapi_evaluation import BAD_QUERY, _query
from komoro_engage.budgeting.models import BallotKind, Phase
from komoro_engage.budgeting.tally import RULES
from komoro_engage.core.numbers import DB_INT_MAX, MAX_PAGE

INTEGER, STRING, BOOLEAN = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}
COUNT = {"type": "integer", "minimum": 0}
URL = {"type": "string", "format": "uri"}
RULE = {"type": "string", "enum": list(RULES)}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


PROCESS = {
    "id": INTEGER, "title": STRING, "url": URL,
    "phase": {"type": "string", "enum": [str(p) for p in Phase]},
    "ballot_kind": {"type": "string", "enum": [str(k) for k in BallotKind]},
    "rule": RULE, "total_amount": COUNT,
    "results_url": {"type": ["string", "null"], "format": "uri"},
}

SCHEMAS = {
    "BudgetProcess": _object(PROCESS),
    "BudgetProcessList": _object({
        "items": {"type": "array", "items": _ref("BudgetProcess")},
        "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
        "total": COUNT}),
    "BudgetResults": _object({
        **PROCESS, "published_at": {"type": "string", "format": "date-time"},
        "other_rule": RULE,
        "budgets": {"type": "array", "items": _object({
            "key": STRING, "district_id": {"type": ["integer", "null"]}, "amount": COUNT,
            "voters": COUNT, "share": {"type": "number", "minimum": 0}, "pabulib_url": URL,
            "projects": {"type": "array", "items": _object({
                "id": INTEGER, "title": STRING, "cost": COUNT, "votes": COUNT,
                "points": COUNT, "funded": BOOLEAN, "funded_other_rule": BOOLEAN,
                "reason": STRING})}})},
        "turnout": _object({
            "total": COUNT,
            "districts": {"type": "array", "items": _object({
                "district_id": {"type": ["integer", "null"]}, "ballots": COUNT})},
            "age_bands": {"type": "array", "items": _object({
                "age_band": {"type": ["string", "null"], "enum": [*AGE_BANDS, None]},
                "ballots": COUNT})}}),
    }),
}

PATHS = {
    "/budgets": {"get": {
        "operationId": "listBudgets",
        "summary": "市民予算 (participatory budgeting) processes, newest first",
        "parameters": [_query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                       "default": 1}, "Page.")],
        "responses": {"200": {"description": "A page of processes",
                              "content": {"application/json": {
                                  "schema": _ref("BudgetProcessList")}}},
                      "400": BAD_QUERY}}},
    "/budgets/{id}/results": {"get": {
        "operationId": "getBudgetResults",
        "summary": "A published result: winners under both rules (greedy by votes and the "
                   "Method of Equal Shares), reasons, turnout, pabulib files",
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}}],
        "responses": {
            "200": {"description": "The result",
                    "content": {"application/json": {"schema": _ref("BudgetResults")}}},
            "404": {"description": "No such process, or its result is not published",
                    "content": {"application/json": {"schema": _ref("Error")}}}}}},
}
