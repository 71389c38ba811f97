"""The consultation page's measures and policy areas: read as ids with the consultation
and named from the plan kept in memory (plan/menus.py), in plan order, for visitors and
signed-in people, in Japanese and English."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.consultations.models import ConsultationStatus
from komoro_engage.consultations.services import ConsultationData, save_consultation
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure, PolicyArea
from tests.factories import make_user


def facts_of(html: str) -> list[tuple[str, str]]:
    """The page's links to the plan: (address, text), as the facts list shows them."""
    found = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S)
    assert found, "the page lists no measures or policy areas"
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', found.group(1))


def test_the_page_names_its_measures_and_areas_in_plan_order(app, client, login):
    with app.app_context():
        measures = list(db.session.scalars(select(Measure).order_by(Measure.sort_key)))
        areas = list(db.session.scalars(select(PolicyArea).order_by(PolicyArea.number)))
        linked_measures, linked_areas = [measures[3], measures[0]], [areas[2], areas[0]]
        now = clock.now()
        consultation = save_consultation(make_user(role=Role.STAFF), ConsultationData(
            title="駅前のにぎわい", description="", opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            measure_ids=[m.id for m in linked_measures],
            policy_area_ids=[a.id for a in linked_areas]))
        consultation.status = ConsultationStatus.OPEN
        resident = make_user()
        db.session.commit()
        expected = [(f"/plan/measures/{m.code}", f"{m.code} {m.title}")
                    for m in (measures[0], measures[3])]
        expected += [(f"/plan/areas/{a.number}", f"{a.number}. {a.name}")
                     for a in (areas[0], areas[2])]
        english = [f"{m.code} {m.title_en or m.title}" for m in (measures[0], measures[3])]
        url = f"/consultations/{consultation.id}"
    for reader in (client, login(resident)):
        assert facts_of(reader.get(url).get_data(as_text=True)) == expected
    assert english != [text for _address, text in expected[:2]]  # the seed has English titles
    english_page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert [text for _address, text in facts_of(english_page)][:2] == english
