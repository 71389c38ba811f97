"""The OpenAPI description of the survey endpoints, merged into the main document."""

from __future__ import annotations

from komoro_engage.api.openapi_evaluation import (
    BAD_QUERY,
    COUNT,
    DATETIME,
    INTEGER,
    STRING,
    _json,
    _object,
    _query,
    _ref,
)
from komoro_engage.core.numbers import DB_INT_MAX, MAX_PAGE

OPT_COUNT = {"type": ["integer", "null"], "minimum": 0}
OPT_NUMBER = {"type": ["number", "null"]}
URI = {"type": "string", "format": "uri"}
CHANNELS = _object({"web": COUNT, "paper": COUNT})
SURVEY = {
    "id": INTEGER, "title": STRING, "intro": STRING,
    "status": {"type": "string", "enum": ["published", "closed"]},
    "opens_at": DATETIME, "closes_at": DATETIME, "closed_at": DATETIME, "url": URI,
    "results_url": {"type": ["string", "null"], "format": "uri"},
}
SCHEMAS = {
    "Survey": _object(SURVEY),
    "SurveyList": _object({
        "items": {"type": "array", "items": _ref("Survey")},
        "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
        "total": COUNT}),
    "SurveyDetail": _object({
        **SURVEY,
        "respondents": {"oneOf": [CHANNELS, {"type": "null"}]},
        "questions": {"type": "array", "items": _object({
            "id": INTEGER, "kind": {"type": "string", "enum": [
                "single", "multiple", "short_text", "long_text", "scale", "matrix",
                "ranking"]},
            "prompt": STRING, "required": {"type": "boolean"},
            "respondents": {"oneOf": [CHANNELS, {"type": "null"}]}, "mean": OPT_NUMBER,
            "items": {"type": "array", "items": _object({
                "label": STRING, "web": OPT_COUNT, "paper": OPT_COUNT, "total": OPT_COUNT,
                "share": OPT_NUMBER, "mean": OPT_NUMBER})},
            "texts": {"type": "array", "items": STRING}})}}),
}
PATHS = {
    "/surveys": {"get": {
        "operationId": "listSurveys", "summary": "Published and closed surveys, newest first",
        "parameters": [_query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                       "default": 1}, "Page.")],
        "responses": {"200": _json("SurveyList", "A page of surveys"), "400": BAD_QUERY}}},
    "/surveys/{id}": {"get": {
        "operationId": "getSurvey",
        "summary": "A survey's questions, with per-respondent results once closed "
                   "(shares are of the question's respondents; free text after moderation)",
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}}],
        "responses": {"200": _json("SurveyDetail", "The survey"),
                      "404": _json("Error", "Not found or a draft")}}},
}
