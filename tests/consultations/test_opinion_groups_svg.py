"""The server-drawn opinion map: well-formed, one dot per participant, no script."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from komoro_engage.consultations.opinion_groups import (
    AGREE,
    DISAGREE,
    Group,
    OpinionMap,
    Point,
    Vote,
    analyse,
)
from komoro_engage.consultations.opinion_planted import planted_votes
from komoro_engage.consultations.opinion_svg import opinion_map_svg

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "グループ"'


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, not untrusted input


@pytest.fixture(scope="module")
def planted_map() -> OpinionMap:
    return analyse(planted_votes(seed=2).votes, seed=2)


def test_the_map_is_an_image_with_a_title_and_a_description(planted_map):
    root = parse(opinion_map_svg(planted_map, labels={0: "A", 1: "B", 2: "C"},
                                 title="意見マップ", description="3つのグループ"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root[0].tag == f"{SVG}title" and root[0].text == "意見マップ"
    assert root[1].tag == f"{SVG}desc" and root[1].text == "3つのグループ"
    assert root.get("aria-labelledby") == f"{root[0].get('id')} {root[1].get('id')}"
    assert root.get("viewBox").startswith("0 0 360 ")
    assert root.get("width") is None and root.get("height") is None  # scales to its box


def test_one_dot_per_counted_participant_and_one_outline_per_group(planted_map):
    root = parse(opinion_map_svg(planted_map, labels={}, title="map"))
    groups = root.findall(f"{SVG}g[@class='opinion-group']")
    assert len(groups) == len(planted_map.groups) == 3
    dots = [g.findall(f"{SVG}use") for g in groups]
    assert sum(len(d) for d in dots) == planted_map.participants_counted == 180
    assert [len(d) for d in dots] == [len(g.participants) for g in planted_map.groups]
    assert len(root.findall(f".//{SVG}polygon[@class='opinion-outline']")) == 3
    # Each group's dots and hatching are its own, not only its colour.
    shapes = {g.get("id"): ET.tostring(g[0]) for g in root.find(f"{SVG}defs")
              if g.tag == f"{SVG}g"}
    assert len(set(shapes.values())) == 3
    for dot in (d for group in dots for d in group):
        assert 0 <= float(dot.get("x")) <= 360 and 0 <= float(dot.get("y")) <= 360


def test_no_script_no_style_and_labels_escaped(planted_map):
    markup = opinion_map_svg(planted_map, labels={0: HOSTILE, 1: HOSTILE, 2: HOSTILE},
                             title=HOSTILE)
    root = parse(markup)
    every = list(root.iter())
    assert not [e for e in every if e.tag in (f"{SVG}script", f"{SVG}style",
                                              f"{SVG}foreignObject")]
    assert not [name for e in every for name in e.attrib
                if name.lower().startswith("on") or name == "style"]
    assert "<script>" not in str(markup)
    assert root[0].text == HOSTILE
    assert HOSTILE in [t.text for t in root.iter(f"{SVG}text")]


def test_without_groups_the_dots_are_drawn_without_outlines():
    votes = [Vote(p, s, AGREE if (p + s) % 2 else DISAGREE) for p in (1, 2, 3) for s in range(9)]
    thin = analyse(votes)
    root = parse(opinion_map_svg(thin, labels={}, title="map"))
    assert len(root.findall(f".//{SVG}use")) == 3
    assert root.findall(f".//{SVG}polygon") == []
    empty = parse(opinion_map_svg(analyse([]), labels={}, title="map"))
    assert empty.findall(f".//{SVG}use") == []


def test_tiny_and_flat_groups_are_outlined_without_errors():
    points = (Point(1, 0.0, 0.0, 0), Point(2, 1.0, 1.0, 0), Point(3, 2.0, 2.0, 0),
              Point(4, 5.0, 0.0, 1))
    flat = OpinionMap(participants_total=4, participants_counted=4, statements=(1, 2),
                      points=points,
                      groups=(Group(0, (1, 2, 3), ()), Group(1, (4,), ())),
                      consensus=(), overall=(), k_choice=None)
    root = parse(opinion_map_svg(flat, labels={0: "A", 1: "B"}, title="map"))
    assert len(root.findall(f".//{SVG}polygon")) == 2
    assert len(root.findall(f".//{SVG}g[@class='opinion-group']/{SVG}use")) == 4
