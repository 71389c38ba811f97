"""The OpenAPI description of the consultation endpoints, merged into the main document."""

from __future__ import annotations

from komoro_engage.api.openapi_evaluation import BAD_QUERY, _json, _object, _query, _ref
from komoro_engage.consultations.models import ConsultationStatus
from komoro_engage.core.numbers import DB_INT_MAX, MAX_PAGE

INTEGER, STRING, NUMBER = {"type": "integer"}, {"type": "string"}, {"type": "number"}
COUNT = {"type": "integer", "minimum": 0}
DATETIME = {"type": "string", "format": "date-time"}
OPT_DATETIME = {"type": ["string", "null"], "format": "date-time"}
URL = {"type": "string", "format": "uri"}
DIRECTION = {"type": "string", "enum": ["agree", "disagree"]}
PUBLIC = [str(ConsultationStatus.OPEN), str(ConsultationStatus.CLOSED)]
ID = {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}

SCHEMAS = {
    "Consultation": _object({
        "id": INTEGER, "url": URL, "analysis_url": URL, "title": STRING,
        "description": STRING, "status": {"type": "string", "enum": PUBLIC},
        "opens_at": DATETIME, "closes_at": DATETIME,
        "measures": {"type": "array", "items": _ref("MeasureRef")},
        "policy_areas": {"type": "array", "items": _ref("PolicyAreaRef")},
        "participants_votes_csv": URL, "statements_csv": URL}),
    "ConsultationPage": _object({
        "items": {"type": "array", "items": _ref("Consultation")},
        "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
        "total": COUNT}),
    "ConsultationAnalysis": _object({
        "consultation_id": INTEGER, "computed_at": OPT_DATETIME,
        "participants_total": COUNT, "participants_counted": COUNT,
        "statements": {"type": "array", "items": _object({
            "id": INTEGER, "text": STRING, "agree": COUNT, "disagree": COUNT, "passed": COUNT,
            "seen": COUNT})},
        "groups": {"type": "array", "items": _object({
            "label": COUNT, "size": COUNT,
            "representative": {"type": "array", "items": _object({
                "statement": INTEGER, "direction": DIRECTION, "probability": NUMBER,
                "ratio": NUMBER, "z_probability": NUMBER, "z_ratio": NUMBER})}})},
        "consensus": {"type": "array", "items": _object({
            "statement": INTEGER, "direction": DIRECTION, "probability": NUMBER})},
        "points": {"type": "array", "items": _object({
            "x": NUMBER, "y": NUMBER, "group": INTEGER})}}),
}

PATHS = {
    "/consultations": {"get": {
        "operationId": "listConsultations",
        "summary": "Consultations (広聴 テーマ): open ones first, then closed ones",
        "parameters": [_query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                       "default": 1}, "Page.")],
        "responses": {"200": _json("ConsultationPage", "A page of consultations"),
                      "400": BAD_QUERY}}},
    "/consultations/{id}/analysis": {"get": {
        "operationId": "getConsultationAnalysis",
        "summary": "The latest opinion-group analysis of a consultation (Polis's method); "
                   "participants are anonymous points",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": ID}],
        "responses": {"200": _json("ConsultationAnalysis", "The analysis (empty before the "
                                                           "first run)"),
                      "404": _json("Error", "Not found or not public")}}},
}
