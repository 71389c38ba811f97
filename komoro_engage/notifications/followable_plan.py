"""The plan's items may be followed (core/follows.py): measures, policy areas, districts.

Notifications sits above plan, so it names them itself; proposals and projects
register their own kinds from their packages.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from komoro_engage.core.follows import FollowedItem, item_path, register_followable
from komoro_engage.core.i18n import localized
from komoro_engage.extensions import db
from komoro_engage.plan.models import District, Measure, PolicyArea


def followable_measures(ids: Collection[int]) -> dict[int, FollowedItem]:
    return {measure.id: FollowedItem(f"{measure.code} {localized(measure, 'title')}",
                                     item_path("plan.measure", code=measure.code))
            for measure in db.session.scalars(select(Measure).where(Measure.id.in_(list(ids))))}


def followable_policy_areas(ids: Collection[int]) -> dict[int, FollowedItem]:
    return {area.id: FollowedItem(localized(area, "name"),
                                  item_path("plan.policy_area", number=area.number))
            for area in db.session.scalars(select(PolicyArea).where(
                PolicyArea.id.in_(list(ids))))}


def followable_districts(ids: Collection[int]) -> dict[int, FollowedItem]:
    return {district.id: FollowedItem(localized(district, "name"),
                                      item_path("plan.districts") + f"#district-{district.id}")
            for district in db.session.scalars(select(District).where(
                District.id.in_(list(ids))))}


def register() -> None:
    register_followable("measure", followable_measures)
    register_followable("policy_area", followable_policy_areas)
    register_followable("district", followable_districts)
