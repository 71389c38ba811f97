"""The list cards name their district and policy areas in the reader's language."""

from __future__ import annotations

import pytest

from komoro_engage.extensions import db
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import area, district, make_proposal


@pytest.fixture
def named(app):
    """A proposal and a project in a district, on policy areas 1 and 3, with the names
    the plan gives them in Japanese and English."""
    with app.app_context():
        place = district()
        first, third = area(1), area(3)
        author = make_user()
        make_proposal(author, title="駅前の花壇の提案", areas=(3, 1), district_id=place.id)
        make_project(title="駅前の花壇の会", district_id=place.id)
        db.session.commit()
        assert place.name_en and first.name_en and third.name_en
        return {"ja": (place.name, [first.name, third.name]),
                "en": (place.name_en, [first.name_en, third.name_en]),
                "nickname": author.nickname}


def _card(html: str, title: str) -> str:
    start = html.index(title)
    return html[start:html.index("</li>", start)]


@pytest.mark.parametrize("language", ["ja", "en", "ja_easy"])
def test_cards_name_their_place_and_areas_in_the_reader_s_language(client, named, language):
    client.set_cookie("lang", language)
    place, areas = named["en" if language == "en" else "ja"]
    proposal = _card(client.get("/proposals").text, "駅前の花壇の提案")
    project_areas = [areas[0]]  # the project helper puts projects on area 1
    project = _card(client.get("/projects").text, "駅前の花壇の会")
    for card, expected_areas in ((proposal, areas), (project, project_areas)):
        assert place in card
        tags = [card.index(f'<span class="tag">{name}</span>') for name in expected_areas]
        assert tags == sorted(tags)  # in plan order
    assert named["nickname"] in proposal
    other = named["ja" if language == "en" else "en"][0]
    assert other not in proposal and other not in project
