"""The registries through which features meet in core: page sections, layout data,
participation sources, label vocabularies and what waits for the staff."""

import pytest

from komoro_engage.core import labels, participation, sections, templating, waiting
from komoro_engage.core.sections import Section


def test_a_section_registered_by_a_feature_appears_on_the_page(client, monkeypatch):
    monkeypatch.setitem(sections._pages, "plan.policy_area", {})
    seen = []

    def provider(area):
        seen.append(area.number)
        return Section("projects/_related.html", {"related_projects": []})

    sections.register_section("plan.policy_area", "probe", provider)
    html = client.get("/plan/areas/1").get_data(as_text=True)
    assert seen == [1]  # called by the view, with the page's subject
    assert 'id="related-projects-heading"' in html
    assert html.index('id="measures-heading"') < html.index('id="related-projects-heading"')


def test_the_measure_page_renders_without_any_feature_section(client, monkeypatch):
    monkeypatch.setitem(sections._pages, "plan.measure", {})
    response = client.get("/plan/measures/1-2")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="indicators-heading"' in html and 'id="items-heading"' in html
    for heading in ("records-heading", "linked-proposals-heading", "related-projects-heading"):
        assert heading not in html


def test_the_features_give_the_measure_page_its_sections_in_order(client):
    assert sections.registered("plan.measure") == ["poll", "proposals", "consultations",
                                                   "projects", "text_map", "evaluation"]
    html = client.get("/plan/measures/1-2").get_data(as_text=True)
    order = [html.index(f'id="{heading}"') for heading in (
        "indicators-heading", "records-heading", "items-heading",
        "linked-proposals-heading", "related-projects-heading", "voices-map-heading")]
    assert order == sorted(order)


def test_sections_come_by_slot_in_order_and_none_shows_nothing(monkeypatch):
    monkeypatch.setitem(sections._pages, "test.page", {})
    sections.register_section("test.page", "late", lambda s: Section("late.html"), order=20)
    sections.register_section("test.page", "early", lambda s: Section("early.html"), order=10)
    sections.register_section("test.page", "top", lambda s: Section("top.html"), slot="top")
    sections.register_section("test.page", "nothing", lambda s: None, order=15)
    found = sections.sections_for("test.page", object())
    assert [s.template for s in found["end"]] == ["early.html", "late.html"]
    assert [s.template for s in found["top"]] == ["top.html"]
    assert found["elsewhere"] == []
    sections.unregister_section("test.page", "late")
    assert sections.registered("test.page") == ["early", "nothing", "top"]


@pytest.fixture
def probe(monkeypatch):
    calls = []
    monkeypatch.setitem(templating._layout_providers, "probe", lambda: calls.append(1))
    return calls


def test_layout_data_is_computed_once_per_page_before_rendering(client, probe):
    assert client.get("/plan/districts").status_code == 200
    assert probe == [1]


def test_a_fragment_has_no_layout_and_computes_none(client, probe):
    response = client.get("/projects", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert probe == []


def test_sources_merge_their_empty_figures_in_order(monkeypatch):
    monkeypatch.setattr(participation, "_sources", {})
    participation.register_source("b", lambda *a: {}, empty={"b": 0}, order=2)
    participation.register_source("a", lambda *a: {}, empty={"a": {"x": 0}}, order=1)
    assert [s.kind for s in participation.sources()] == ["a", "b"]
    empty = participation.empty_figures()
    assert list(empty) == ["a", "b"]
    empty["a"]["x"] = 5  # a fresh copy each time
    assert participation.empty_figures()["a"] == {"x": 0}
    participation.unregister_source("a")
    assert [s.kind for s in participation.sources()] == ["b"]


def test_the_features_register_their_participation_sources(app):
    assert [s.kind for s in participation.sources()][:2] == ["proposal", "project"]
    assert {"proposals", "proposals_by_status", "supports", "comments", "projects_active",
            "participants", "volunteer_hours"} <= set(participation.empty_figures())


def test_a_vocabulary_gives_labels_and_falls_back_to_the_value(app, monkeypatch):
    monkeypatch.setattr(labels, "_vocabularies", {})
    labels.register_labels("colour", {"red": "赤"})
    assert labels.label("colour", "red") == "赤"
    assert labels.label("colour", "blue") == "blue"
    assert labels.label("unknown", "red") == "red"


def test_waiting_counts_merge_in_order(monkeypatch):
    monkeypatch.setattr(waiting, "_counters", {})
    waiting.register_counter("second", lambda: {"c": 3}, order=2)
    waiting.register_counter("first", lambda: {"a": 1, "b": 2}, order=1)
    assert list(waiting.waiting_counts().items()) == [("a", 1), ("b", 2), ("c", 3)]
    waiting.unregister_counter("second")
    assert waiting.waiting_counts() == {"a": 1, "b": 2}
