"""Public landmarks, and the columns that place a proposal (or any row) on the map.

A place is kept twice: the exact point the author tapped, which only the author
and staff ever see, and the public point everyone else sees — the centre of its
1/4 地域メッシュ (about 250 m) or the landmark the author named.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from komoro_engage.extensions import db


class PlacePrecision(StrEnum):
    """How a row's public point was made from what the author chose."""

    MESH = "mesh"  # a tapped point, published as its 1/4 mesh centre
    LANDMARK = "landmark"  # a public landmark, published as itself


class Landmark(db.Model):
    """A public place from the plan data file (station, 公民館, park, city hall)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    ku_id: Mapped[int | None] = mapped_column(ForeignKey("ku.id"), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(default=0)


class PlaceColumns:
    """Mixin: the exact point (private), the public point and how it was made."""

    # Exact, private: rendered only for the author and staff (see public_place).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    place_precision: Mapped[str | None] = mapped_column(String(10))
    # Stored rather than computed, so lists, maps, the API and exports read only these.
    mesh_code: Mapped[str | None] = mapped_column(String(10))
    public_latitude: Mapped[float | None] = mapped_column(Float)
    public_longitude: Mapped[float | None] = mapped_column(Float)

    @declared_attr
    def landmark_id(cls) -> Mapped[int | None]:  # noqa: N805 (SQLAlchemy passes the class)
        return mapped_column(ForeignKey("landmark.id"), index=True)

    @declared_attr
    def landmark(cls) -> Mapped[Landmark | None]:  # noqa: N805
        return relationship(Landmark)
