"""Evaluations and indicator actuals in the API, checked against the OpenAPI document.

Every operation of the document is called with every combination of sample
parameter values (valid, unknown and malformed), and each response body is
validated against the schema the document gives for its status code.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from komoro_engage.accounts.models import Role
from komoro_engage.evaluation.indicators import IndicatorData, add_indicator, record_actual
from komoro_engage.evaluation.services import amend_record, finalise_record, open_record, save_draft
from komoro_engage.extensions import db
from tests.evaluation.helpers import jst, link, measure, rating
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


@pytest.fixture
def data(app):
    with app.app_context():
        staff = make_user(Role.STAFF)
        target = measure("1-2")
        indicator = add_indicator(staff, target, IndicatorData(
            name="相談件数", unit="件", direction="higher", baseline_value=Decimal("10"),
            target_value=Decimal("30")))
        record_actual(staff, indicator, 2024, Decimal("20"), "子育て支援課")
        link(make_proposal(title="子育て相談をオンラインで", published_at=jst(2024, 9, 1)),
             target)
        final = open_record(staff, target, 2024)
        save_draft(staff, final, rating("B"), "公開された評価", "継続")
        finalise_record(staff, final)
        amend_record(staff, final, rating("A"), "訂正後", "継続", "実績の追加")
        draft = open_record(staff, measure("3-1"), 2024)
        save_draft(staff, draft, rating("D"), "非公開の下書き", "")
        db.session.commit()
        return {"measure": target.id, "draft_measure": measure("3-1").id, "record": final.id}


def samples(parameter: dict, data: dict) -> list:
    name, schema = parameter["name"], parameter["schema"]
    if name == "measure":
        return [None, data["measure"], data["draft_measure"], 999999, "abc"]
    if name == "fiscal_year":
        return [None, 2024, 2025, "x"]
    if "enum" in schema:
        return [None, schema["enum"][0], "nonsense"]
    if schema.get("type") == "integer":
        return [None, 1, 2, 0, -1, "x", 10_000]
    return [None, "公園"]


def validator(document: dict, schema: dict) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": document["components"]},
                                format_checker=FormatChecker())


def test_every_operation_answers_as_the_document_says(client, data):
    document = client.get("/api/v1/openapi.json").get_json()
    checked = 0
    for path, operations in document["paths"].items():
        operation = operations["get"]
        query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        paths = ([path.replace("{id}", str(v)) for v in (1, 999999)] if "{id}" in path
                 else [path])
        # Each parameter alone with each sample, and all at once with the first useful value.
        combos = [{p["name"]: v} for p in query for v in samples(p, data)]
        combos.append({p["name"]: samples(p, data)[1] for p in query})
        for url, params in itertools.product(paths, combos):
            params = {k: v for k, v in params.items() if v is not None}
            response = client.get("/api/v1" + url, query_string=params)
            described = operation["responses"].get(str(response.status_code))
            assert described, f"{url} {params}: undocumented status {response.status_code}"
            schema = described["content"]["application/json"]["schema"]
            validator(document, schema).validate(response.get_json())
            checked += 1
    assert checked > 50


def test_only_finalised_records_are_published(client, data):
    body = client.get("/api/v1/evaluations?fiscal_year=2024").get_json()
    assert body["total"] == 1
    record = body["items"][0]
    assert record["id"] == data["record"]
    assert record["rating"]["code"] == "B" and record["current_rating"]["code"] == "A"
    assert record["amendments"][0]["reason"] == "実績の追加"
    assert record["figures"]["proposals"] == 1
    assert record["items"][0]["title"] == "子育て相談をオンラインで"
    assert record["indicators"][0]["achievement"] == 50.0
    everything = client.get("/api/v1/evaluations").get_data(as_text=True)
    assert "非公開の下書き" not in everything
    assert client.get(f"/api/v1/evaluations?measure={data['draft_measure']}").get_json()[
        "total"] == 0


def test_indicator_actuals(client, data):
    body = client.get(f"/api/v1/indicators?measure={data['measure']}").get_json()
    mine = [i for i in body["items"] if i["name"] == "相談件数"][0]
    assert mine["actuals"] == [{"fiscal_year": 2024, "value": 20.0, "achievement": 50.0,
                                "source": "子育て支援課", "note": ""}]
