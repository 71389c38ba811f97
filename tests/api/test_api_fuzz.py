"""/api/v1 fuzzed from its OpenAPI document with schemathesis, through WSGI: no server
error, and every answer conforms to the document (status, content type, headers, body).

The schema is the document ``/api/v1/openapi.json`` serves (the first test holds them
equal). The database holds the access table's world (tests/access/): public and hidden
proposals, projects with activity days and reports, finalised evaluation records.
Examples are bounded per operation so the run stays short.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from komoro_engage.api.openapi import openapi_document
from tests.access.world import build_world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
schema = schemathesis.openapi.from_dict(openapi_document())


def test_the_fuzzed_document_is_the_one_the_api_serves(client):
    assert client.get("/api/v1/openapi.json").get_json() == schema.raw_schema


@pytest.fixture
def world(app):
    with app.app_context():
        return build_world()


@schema.parametrize()
@settings(max_examples=50, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_answers_as_its_openapi_document_says(case, app, world):
    case.call_and_validate(app=app, checks=CHECKS)
