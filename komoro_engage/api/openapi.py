"""The OpenAPI 3.1 description of ``/api/v1``; tests validate real responses against it."""

from __future__ import annotations

from komoro_engage.api import (
    openapi_budgeting,
    openapi_consultations,
    openapi_evaluation,
    openapi_surveys,
)
from komoro_engage.core.mesh import quarter_mesh
from komoro_engage.core.numbers import DB_INT_MAX, MAX_PAGE
from komoro_engage.plan.place_models import PlacePrecision
from komoro_engage.projects.models import PartnerRole, ProjectStatus
from komoro_engage.projects.queries import SORTS as PROJECT_SORTS
from komoro_engage.proposals.models import PUBLIC_STATUSES, ProposalKind
from komoro_engage.proposals.queries import MAX_PAGE_SIZE, SORTS


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def _object(required: dict, **optional) -> dict:
    """A closed object: every listed property is required, nothing else is allowed."""
    properties = {**required, **optional}
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
OPT_STRING = {"type": ["string", "null"]}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
DATE = {"type": ["string", "null"], "format": "date"}
OPT_INTEGER = {"type": ["integer", "null"]}
URL = {"type": "string", "format": "uri"}
# Ids and pages as the app reads them (core/numbers.py); others are ignored, not errors.
ID = {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}
PAGE = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}


# The example is computed, so it is a 1/4 mesh centre by construction, never a real place.
_EXAMPLE_MESH = quarter_mesh(36.327, 138.426)
PUBLIC_PLACE = {
    **_object({
        "latitude": {"type": "number", "minimum": -90, "maximum": 90},
        "longitude": {"type": "number", "minimum": -180, "maximum": 180},
        "precision": {"type": "string", "enum": [str(p) for p in PlacePrecision]},
        "mesh_code": {"type": ["string", "null"], "pattern": "^[0-9]{10}$"},
        "landmark": OPT_STRING,
    }),
    "description": ("Where the item is, as the public may see it: the centre of the JIS X 0410 "
                    "1/4 mesh (about 250 m) of the point its author chose, or a public landmark. "
                    "The exact point is never published."),
    "examples": [{"latitude": _EXAMPLE_MESH.latitude, "longitude": _EXAMPLE_MESH.longitude,
                  "precision": "mesh", "mesh_code": _EXAMPLE_MESH.code, "landmark": None}],
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(item: str) -> dict:
    return {
        "items": {"type": "array", "items": _ref(item)},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        "total": {"type": "integer", "minimum": 0},
        "pages": {"type": "integer", "minimum": 1},
        "links": _object({"self": URL, "first": URL, "last": URL,
                          "next": {"type": ["string", "null"], "format": "uri"},
                          "prev": {"type": ["string", "null"], "format": "uri"}}),
    }


PROJECT_FIELDS = {
    "id": INTEGER, "url": URL, "title": STRING, "summary": STRING, "description": STRING,
    "status": {"type": "string", "enum": [str(s) for s in ProjectStatus]},
    "lead": _object({"kind": {"type": "string", "enum": ["person", "organisation"]},
                     "id": OPT_INTEGER, "name": STRING}),
    "partners": {"type": "array", "items": _object({
        "role": {"type": "string", "enum": [str(r) for r in PartnerRole]},
        "organisation_id": OPT_INTEGER, "name": STRING})},
    "district": _nullable(_object({"id": INTEGER, "name": STRING, "name_en": OPT_STRING})),
    "policy_areas": {"type": "array", "items": _ref("PolicyAreaRef")},
    "priority_items": {"type": "array", "items": _ref("PriorityItemRef")},
    "measures": {"type": "array", "items": _ref("MeasureRef")},
    "proposal_id": OPT_INTEGER, "starts_on": DATE, "ends_on": DATE,
    "help_wanted": {"type": "array", "items": STRING},
    "capacity": OPT_INTEGER, "member_count": {"type": "integer", "minimum": 0},
    "outcomes": STRING, "created_at": DATETIME, "status_changed_at": DATETIME,
    "place": _nullable(_ref("PublicPlace")),
}


SCHEMAS = {
    "PolicyAreaRef": _object({"id": INTEGER, "number": INTEGER, "name": STRING,
                              "name_en": OPT_STRING}),
    "PriorityItemRef": _object({"id": INTEGER, "number": INTEGER, "title": STRING,
                                "title_en": OPT_STRING}),
    "MeasureRef": _object({"id": INTEGER, "code": STRING, "title": STRING,
                           "title_en": OPT_STRING}),
    "Photo": _object({"url": URL, "thumbnail_url": URL, "width": INTEGER, "height": INTEGER}),
    "Proposal": _object({
        "id": INTEGER, "url": URL, "title": STRING, "body": STRING,
        "kind": {"type": "string", "enum": [str(k) for k in ProposalKind]},
        "status": {"type": "string", "enum": [str(s) for s in PUBLIC_STATUSES]},
        "author": _object({"nickname": STRING}),
        "organisation": _nullable(_object({"id": INTEGER, "name": STRING})),
        "district": _nullable(_object({"id": INTEGER, "name": STRING, "name_en": OPT_STRING})),
        "policy_areas": {"type": "array", "items": _ref("PolicyAreaRef"), "minItems": 1},
        "priority_items": {"type": "array", "items": _ref("PriorityItemRef")},
        "measures": {"type": "array", "items": _ref("MeasureRef")},
        "photos": {"type": "array", "items": _ref("Photo"), "maxItems": 4},
        "support_count": {"type": "integer", "minimum": 0},
        "comment_count": {"type": "integer", "minimum": 0},
        "published_at": DATETIME, "last_activity_at": DATETIME,
        "place": _nullable(_ref("PublicPlace")),
    }),
    "PublicPlace": PUBLIC_PLACE,
    "ProposalPage": _object(_page_of("Proposal")),
    "ProjectPage": _object(_page_of("Project")),
    "Project": _object(PROJECT_FIELDS),
    "ProjectDetail": _object({
        **PROJECT_FIELDS,
        "activity_days": {"type": "array", "items": _object({
            "id": INTEGER, "title": STRING, "starts_at": DATETIME, "ends_at": DATETIME,
            "place": STRING, "capacity": OPT_INTEGER, "rsvp_count": INTEGER,
            "attendance_count": OPT_INTEGER, "location": _nullable(_ref("PublicPlace"))})},
        "reports": {"type": "array", "items": _object({
            "id": INTEGER, "body": STRING, "is_completion": BOOLEAN, "outcomes": STRING,
            "attendance_count": OPT_INTEGER,
            "volunteer_hours": {"type": ["number", "null"]}, "created_at": DATETIME,
            "photos": {"type": "array", "items": _ref("Photo"), "maxItems": 4}})},
    }),
    "Plan": _object({
        "edition": _object({"code": STRING, "name": STRING, "name_en": OPT_STRING,
                            "start_fy": INTEGER, "end_fy": INTEGER}),
        "policy_areas": {"type": "array", "items": _object({
            "id": INTEGER, "number": INTEGER, "name": STRING, "name_en": OPT_STRING,
            "measures": {"type": "array", "items": _object({
                "id": INTEGER, "code": STRING, "title": STRING, "title_en": OPT_STRING,
                "provisional": BOOLEAN})}})},
        "priority_items": {"type": "array", "items": _object({
            "id": INTEGER, "number": INTEGER, "title": STRING, "title_en": OPT_STRING,
            "measure_codes": {"type": "array", "items": STRING}})},
        "districts": {"type": "array", "items": _object({
            "id": INTEGER, "name": STRING, "name_en": OPT_STRING,
            "kus": {"type": "array", "items": _object({"id": INTEGER, "name": STRING})}})},
    }),
    "Error": _object({"error": _object({"status": INTEGER, "message": STRING,
                                         "request_id": STRING})}),
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


LIST_PARAMETERS = [
    _query("q", STRING, "Search titles and bodies (Japanese bigram search; full/half width "
                        "folded)."),
    _query("area", ID, "Policy area id (see /plan)."),
    _query("item", ID, "Priority item id."),
    _query("measure", ID, "Measure id the city linked the proposal to."),
    _query("district", ID, "District id."),
    _query("status", {"type": "string", "enum": [str(s) for s in PUBLIC_STATUSES]}, "Status."),
    _query("kind", {"type": "string", "enum": [str(k) for k in ProposalKind]}, "Kind."),
    _query("sort", {"type": "string", "enum": list(SORTS), "default": "new"}, "Order."),
    _query("page", PAGE, "Page number."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
           f"Items per page (clamped to {MAX_PAGE_SIZE})."),
]


PROJECT_PARAMETERS = [
    *[p for p in LIST_PARAMETERS if p["name"] in ("q", "area", "item", "district", "page",
                                                  "per_page")],
    _query("measure", ID, "Measure id the project serves."),
    _query("status", {"type": "string", "enum": [str(s) for s in ProjectStatus]}, "Status."),
    _query("sort", {"type": "string", "enum": list(PROJECT_SORTS), "default": "new"}, "Order."),
]


def _json(schema: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref(schema)}}}


BAD_QUERY = openapi_evaluation.BAD_QUERY  # a NUL byte in the query string


def openapi_document() -> dict:
    """The whole document; unknown or malformed filter values are ignored, not errors."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "こもろ協働ひろば Open Data API", "version": "1.0.0",
                 "description": "Read-only public data of Komoro City's participatory "
                                "platform: the city plan, public proposals, 協働 projects "
                                "and consultations with their opinion groups."},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/plan": {"get": {"operationId": "getPlan", "summary": "The current city plan",
                              "responses": {"200": _json("Plan", "The plan")}}},
            "/proposals": {"get": {
                "operationId": "listProposals", "summary": "Public proposals",
                "parameters": LIST_PARAMETERS,
                "responses": {"200": _json("ProposalPage", "A page of proposals"),
                              "400": BAD_QUERY}}},
            "/proposals/{id}": {"get": {
                "operationId": "getProposal", "summary": "One public proposal",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": ID}],
                "responses": {"200": _json("Proposal", "The proposal"),
                              "404": _json("Error", "Not found or not public")}}},
            **openapi_evaluation.PATHS,
            **openapi_budgeting.PATHS,
            **openapi_consultations.PATHS,
            **openapi_surveys.PATHS,
            "/projects": {"get": {
                "operationId": "listProjects",
                "summary": "Public 協働 projects (not those waiting for staff review)",
                "parameters": PROJECT_PARAMETERS,
                "responses": {"200": _json("ProjectPage", "A page of projects"),
                              "400": BAD_QUERY}}},
            "/projects/{id}": {"get": {
                "operationId": "getProject",
                "summary": "One project with its activity days and reports",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": ID}],
                "responses": {"200": _json("ProjectDetail", "The project"),
                              "404": _json("Error", "Not found or not public")}}},
        },
        "components": {"schemas": {**SCHEMAS, **openapi_evaluation.SCHEMAS,
                                   **openapi_budgeting.SCHEMAS,
                                   **openapi_consultations.SCHEMAS,
                                   **openapi_surveys.SCHEMAS}},
    }
