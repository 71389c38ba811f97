"""The open data API: responses match the OpenAPI document; only public data leaves."""

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import insert, select

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.engagement import support_proposal
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.proposals.services import hide_proposal
from tests.factories import make_organisation, make_user
from tests.proposals.helpers import district, make_proposal


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    return doc


def validate(document: dict, schema_name: str, body: dict) -> None:
    """Validate ``body`` against a component schema, with $refs resolved in the document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}",
              "components": document["components"]}
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(body)


@pytest.fixture
def data(app):
    with app.app_context():
        author = make_user(nickname="小諸のこども", email="secret-author@example.jp",
                           age_band="30s")
        org = make_organisation(manager=author, name="与良町ひまわり会")
        public = make_proposal(author, title="図書館の開館時間を延ばしたい", areas=(2, 4),
                               district_id=district().id, organisation_id=org.id)
        measure = db.session.scalars(select(Measure)).first()
        db.session.execute(insert(ProposalMeasureLink).values(
            fiscal_year=2026, proposal_id=public.id, measure_id=measure.id))
        support_proposal(make_user(), public)
        adopted = make_proposal(author, title="駅前の花壇を整える", status=ProposalStatus.ADOPTED)
        hidden = make_proposal(author, title="非表示にされた提案")
        hide_proposal(make_user(Role.STAFF), hidden, "重複")
        draft = make_proposal(author, title="下書きの提案です", status=ProposalStatus.DRAFT)
        pending = make_proposal(author, title="審査待ちの提案", status=ProposalStatus.PENDING)
        db.session.commit()
        return {"public": public.id, "adopted": adopted.id, "hidden": hidden.id,
                "draft": draft.id, "pending": pending.id, "measure": measure.id}


def test_openapi_document_is_valid_json_schema(document):
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert set(document["paths"]) == {"/plan", "/proposals", "/proposals/{id}", "/evaluations",
                                      "/indicators", "/projects", "/projects/{id}",
                                      "/budgets", "/budgets/{id}/results",
                                      "/consultations", "/consultations/{id}/analysis",
                                      "/surveys", "/surveys/{id}"}


def test_plan_matches_the_document(client, document):
    body = client.get("/api/v1/plan").get_json()
    validate(document, "Plan", body)
    assert [a["number"] for a in body["policy_areas"]] == [1, 2, 3, 4, 5, 6]
    assert len(body["districts"]) == 10


def test_list_matches_the_document_and_shows_only_public(client, document, data):
    response = client.get("/api/v1/proposals?per_page=1")
    body = response.get_json()
    validate(document, "ProposalPage", body)
    assert body["total"] == 2 and body["pages"] == 2
    assert body["links"]["next"].endswith("page=2&per_page=1")
    assert body["links"]["prev"] is None
    everything = client.get("/api/v1/proposals").get_data(as_text=True)
    for secret in ("非表示にされた提案", "下書き", "審査待ち", "secret-author", "30s",
                   "email", "age_band"):
        assert secret not in everything


def test_list_uses_the_same_filters_and_search(client, document, data):
    def ids(query):
        body = client.get(f"/api/v1/proposals{query}").get_json()
        validate(document, "ProposalPage", body)
        return [item["id"] for item in body["items"]]

    assert ids("?q=図書館") == [data["public"]]
    assert ids("?status=adopted") == [data["adopted"]]
    assert ids(f"?measure={data['measure']}") == [data["public"]]
    assert ids("?sort=supported")[0] == data["public"]
    assert sorted(ids("?status=hidden&sort=bogus")) == sorted([data["public"], data["adopted"]])


def test_detail_matches_the_document_and_hides_non_public(client, document, data):
    body = client.get(f"/api/v1/proposals/{data['public']}").get_json()
    validate(document, "Proposal", body)
    assert body["organisation"]["name"] == "与良町ひまわり会"
    assert body["author"] == {"nickname": "小諸のこども"} and body["support_count"] == 1
    for key in ("hidden", "draft", "pending"):
        response = client.get(f"/api/v1/proposals/{data[key]}")
        assert response.status_code == 404
        validate(document, "Error", response.get_json())


def test_api_queries_do_not_grow(app, client, count_queries, data):
    count_queries.reset()
    client.get("/api/v1/proposals")
    before = count_queries.count
    with app.app_context():
        for _ in range(15):
            make_proposal(areas=(1, 2, 3))
        db.session.commit()
    count_queries.reset()
    client.get("/api/v1/proposals")
    assert count_queries.count == before
