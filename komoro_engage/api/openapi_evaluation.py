"""The OpenAPI description of the evaluation endpoints, merged into the main document."""

from __future__ import annotations

from komoro_engage.core.numbers import DB_INT_MAX, MAX_PAGE
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY
from komoro_engage.proposals.participation import PROPOSAL_STATUSES

INTEGER, STRING = {"type": "integer"}, {"type": "string"}
OPT_STRING = {"type": ["string", "null"]}
NUMBER, OPT_NUMBER = {"type": "number"}, {"type": ["number", "null"]}
OPT_INTEGER = {"type": ["integer", "null"]}
COUNT = {"type": "integer", "minimum": 0}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
DIRECTION = {"type": "string", "enum": ["higher", "lower"]}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


RATING = {"oneOf": [_object({"code": STRING, "label": STRING, "label_en": OPT_STRING}),
                    {"type": "null"}]}

SCHEMAS = {
    "EvaluationRecord": _object({
        "id": INTEGER, "url": {"type": "string", "format": "uri"}, "fiscal_year": INTEGER,
        "measure": _ref("MeasureRef"), "rating": RATING, "current_rating": RATING,
        "check_text": STRING, "act_text": STRING, "finalised_at": DATETIME,
        "figures": _object({
            "proposals": COUNT,
            "proposals_by_status": _object(dict.fromkeys(PROPOSAL_STATUSES, COUNT)),
            "supports": COUNT, "comments": COUNT, "projects_active": COUNT,
            "projects_completed": COUNT, "participants": COUNT, "activity_days": COUNT,
            "volunteer_hours": {"type": "number", "minimum": 0}, "organisations": COUNT,
            "budget_ballots": COUNT, "budget_projects_funded": COUNT}),
        "items": {"type": "array", "items": _object({
            "kind": {"type": "string", "enum": ["proposal", "project"]}, "id": INTEGER,
            "title": STRING, "status": STRING})},
        "indicators": {"type": "array", "items": _object({
            "name": STRING, "name_en": OPT_STRING, "unit": STRING, "direction": DIRECTION,
            "baseline_value": OPT_NUMBER, "target_value": OPT_NUMBER, "target_fy": OPT_INTEGER,
            "actual": OPT_NUMBER, "achievement": OPT_NUMBER, "source": STRING})},
        "amendments": {"type": "array", "items": _object({
            "number": {"type": "integer", "minimum": 1}, "rating": RATING,
            "check_text": STRING, "act_text": STRING, "reason": STRING,
            "created_at": DATETIME})},
    }),
    "EvaluationPage": _object({
        "items": {"type": "array", "items": _ref("EvaluationRecord")},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "total": COUNT}),
    "IndicatorList": _object({"items": {"type": "array", "items": _object({
        "id": INTEGER, "measure": _ref("MeasureRef"), "name": STRING, "name_en": OPT_STRING,
        "unit": STRING, "direction": DIRECTION, "baseline_value": OPT_NUMBER,
        "baseline_fy": OPT_INTEGER, "target_value": OPT_NUMBER, "target_fy": OPT_INTEGER,
        "actuals": {"type": "array", "items": _object({
            "fiscal_year": INTEGER, "value": NUMBER, "achievement": OPT_NUMBER,
            "source": STRING, "note": STRING})}})}}),
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _json(schema: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref(schema)}}}


# Values outside these ranges are ignored like malformed ones (core/numbers.py).
FISCAL_YEAR = _query("fiscal_year", {"type": "integer", "minimum": FIRST_FY, "maximum": LAST_FY},
                     "Fiscal year (April–March, e.g. 2024).")
MEASURE = _query("measure", {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX},
                 "Measure id (see /plan).")
BAD_QUERY = _json("Error", "The query string holds a NUL byte")

PATHS = {
    "/evaluations": {"get": {
        "operationId": "listEvaluations",
        "summary": "Finalised evaluation records (施策評価) with participation figures",
        "parameters": [FISCAL_YEAR, MEASURE,
                       _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                       "default": 1}, "Page."),
                       _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100},
                              "Items per page (clamped to 100).")],
        "responses": {"200": _json("EvaluationPage", "A page of finalised records"),
                      "400": BAD_QUERY}}},
    "/indicators": {"get": {
        "operationId": "listIndicators",
        "summary": "Indicators of the current plan with yearly actuals and achievement",
        "parameters": [MEASURE, {**FISCAL_YEAR, "description": "Only actuals of this year."}],
        "responses": {"200": _json("IndicatorList", "Indicators"), "400": BAD_QUERY}}},
}
