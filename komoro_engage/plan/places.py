"""Where a row is: the district a point falls in, and the public point a row shows.

District from a point: the nearest district centre (plan data file). Our sources
have no boundary polygons, only the 区 of each district, so point-in-polygon would
need boundaries we would have to invent; nearest centre is honest about being a
suggestion, and the author sees it and may pick another district or 区.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from komoro_engage.core.i18n import localized
from komoro_engage.core.mesh import quarter_mesh
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from komoro_engage.plan.place_models import Landmark, PlaceColumns, PlacePrecision

# The city (98.55 km²) and a margin: a point further away is a slip of the finger.
CITY_BOUNDS = (36.24, 36.42, 138.30, 138.56)  # south, north, west, east


def in_city(latitude: float, longitude: float) -> bool:
    south, north, west, east = CITY_BOUNDS
    return south <= latitude <= north and west <= longitude <= east


def landmarks() -> list[Landmark]:
    """Every landmark in plan order (one query)."""
    return list(db.session.scalars(select(Landmark).order_by(Landmark.sort_order)))


def district_centres() -> list[District]:
    """Districts that have a centre, for the nearest-centre rule (one query)."""
    return list(db.session.scalars(
        select(District).where(District.latitude.is_not(None)).order_by(District.sort_order)))


def nearest_district(latitude: float, longitude: float) -> District | None:
    """The district whose centre is nearest (equirectangular distance: a city is small)."""
    scale = math.cos(math.radians(latitude))
    return min(district_centres(), default=None, key=lambda d: (
        (d.latitude - latitude) ** 2 + ((d.longitude - longitude) * scale) ** 2))


def place_district(point: tuple[float, float] | None,
                   landmark: Landmark | None) -> tuple[int | None, int | None]:
    """(district_id, ku_id) a place suggests: the landmark's own, or the nearest centre's."""
    if landmark is not None:
        return landmark.district_id, landmark.ku_id
    district = nearest_district(*point) if point is not None else None
    return (district.id if district else None), None


def place_values(point: tuple[float, float] | None, landmark: Landmark | None) -> dict:
    """The place columns (PlaceColumns) for a point or a landmark; a landmark wins."""
    values = dict.fromkeys(("latitude", "longitude", "mesh_code", "landmark_id",
                            "place_precision", "public_latitude", "public_longitude"))
    if landmark is not None:
        values.update(landmark_id=landmark.id, place_precision=PlacePrecision.LANDMARK,
                      public_latitude=landmark.latitude, public_longitude=landmark.longitude)
    elif point is not None:
        mesh = quarter_mesh(*point)
        values.update(latitude=point[0], longitude=point[1], mesh_code=mesh.code,
                      place_precision=PlacePrecision.MESH, public_latitude=mesh.latitude,
                      public_longitude=mesh.longitude)
    return values


def set_place(row: PlaceColumns, point: tuple[float, float] | None,
              landmark: Landmark | None) -> None:
    """Keep the exact point (private) and the public one on ``row``."""
    for name, value in place_values(point, landmark).items():
        setattr(row, name, value)


@dataclass(frozen=True)
class PublicPlace:
    """What everyone may see of a row's place: never the exact point."""

    latitude: float
    longitude: float
    precision: str
    mesh_code: str | None
    landmark: str | None

    def as_json(self) -> dict:
        return {"latitude": self.latitude, "longitude": self.longitude,
                "precision": self.precision, "mesh_code": self.mesh_code,
                "landmark": self.landmark}


def public_place(row: PlaceColumns, landmark_name: str | None = None) -> PublicPlace | None:
    """The row's public point; ``landmark_name`` spares a query where a list knows it."""
    if row.public_latitude is None or row.public_longitude is None:
        return None
    if row.place_precision == PlacePrecision.LANDMARK and landmark_name is None \
            and row.landmark is not None:
        landmark_name = localized(row.landmark, "name")
    return PublicPlace(row.public_latitude, row.public_longitude, row.place_precision or "",
                       row.mesh_code, landmark_name)


def picker_data(landmark_rows: list[Landmark]) -> dict:
    """What the map picker needs: landmark points and district centres (public data)."""
    return {
        "landmarks": [{"id": str(row.id), "name": localized(row, "name"),
                       "lat": row.latitude, "lon": row.longitude} for row in landmark_rows],
        "districts": [{"id": str(row.id), "lat": row.latitude, "lon": row.longitude}
                      for row in district_centres()],
    }


# Markers closer than a 3rd mesh (about 1 km: the first 8 digits of a mesh code)
# share one marker; at the city's zoom they would overlap anyway.
CLUSTER_DIGITS = 8


def map_groups(items: list[dict]) -> list[dict]:
    """Grid clustering for the map view: items (``lat``, ``lon``, ``title``, ``url``,
    public points only) grouped by 1 km mesh, each group at its items' mean point."""
    cells: dict[str, list[dict]] = {}
    for item in items:
        cell = quarter_mesh(item["lat"], item["lon"]).code[:CLUSTER_DIGITS]
        cells.setdefault(cell, []).append(item)
    groups = []
    for members in cells.values():
        label = (members[0]["title"] if len(members) == 1
                 else _("この付近の%(n)s件", n=len(members)))
        groups.append({
            "lat": round(sum(m["lat"] for m in members) / len(members), 6),
            "lon": round(sum(m["lon"] for m in members) / len(members), 6),
            "label": label,
            "items": [{"title": m["title"], "url": m["url"]} for m in members],
        })
    return groups


def map_listing(rows, url) -> tuple[list[tuple[str, list[dict]]], list[dict]]:
    """(list by 区, marker groups) from rows in district/区 order with ``id``, ``title``,
    ``public_latitude``, ``public_longitude``, ``district_name(_en)``, ``ku_name``;
    ``url(id)`` makes an item's link. The list is the map page's content without JS."""
    sections: dict[str, list[dict]] = {}
    located = []
    for row in rows:
        district = localized(row, "district_name") if row.district_name else _("市全域")
        heading = f"{district} {row.ku_name}" if row.ku_name else district
        item = {"title": row.title, "url": url(row.id), "located": False}
        if row.public_latitude is not None and row.public_longitude is not None:
            item["located"] = True
            located.append({**item, "lat": row.public_latitude, "lon": row.public_longitude})
        sections.setdefault(heading, []).append(item)
    return list(sections.items()), map_groups(located)


def map_view_context(rows, cap: int, url, count_label) -> dict:
    """What map_view.html needs from at most ``cap + 1`` rows (see ``map_listing``):
    the list by 区, the marker groups, and ``count_label(n)`` saying how many (and
    whether the selection was cut at ``cap``)."""
    sections, groups = map_listing(rows[:cap], url)
    count = count_label(f"{min(len(rows), cap):,}")
    if len(rows) > cap:
        count += _("（多すぎるため一部のみ）")
    return {"sections": sections, "groups": groups, "count_text": count}
