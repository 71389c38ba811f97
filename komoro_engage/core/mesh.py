"""JIS X 0410 地域メッシュ arithmetic: the 1/4 mesh (about 250 m) a point falls in, and its centre.

The public sees a place only as the centre of its 1/4 mesh, so the exact point a
resident tapped (maybe their own doorstep) never leaves the server. The standard
mesh is plain arithmetic on degrees: a 1st mesh is 40′ of latitude by 1° of
longitude, split 8×8 (2nd), 10×10 (3rd, about 1 km), then twice 2×2 (1/2 and 1/4
mesh). Counting in 1/4-mesh steps (7.5″ = 1/480° of latitude, 11.25″ = 1/320°
of longitude) makes every level a quotient of two integers.
"""

from __future__ import annotations

import math
from typing import NamedTuple

LAT_STEPS_PER_DEGREE = 480  # 1/4 mesh rows per degree of latitude
LON_STEPS_PER_DEGREE = 320  # 1/4 mesh columns per degree of longitude
# Centres are published with 6 decimals (about 0.1 m): finer than the 250 m cell,
# so rounding never moves a centre out of its cell, and the same for every reader.
CENTRE_DECIMALS = 6


class QuarterMesh(NamedTuple):
    """A 1/4 地域メッシュ: its 10-digit code and centre point."""

    code: str
    latitude: float
    longitude: float


def in_range(latitude: float, longitude: float) -> bool:
    """Whether the standard mesh defines the point (Japan's extent: 0–66.66°N, 100–180°E)."""
    return (math.isfinite(latitude) and math.isfinite(longitude)
            and 0 <= latitude < 66.66 and 100 <= longitude < 180)


def quarter_mesh(latitude: float, longitude: float) -> QuarterMesh:
    """The 1/4 mesh containing the point; ValueError outside the mesh's extent."""
    if not in_range(latitude, longitude):
        raise ValueError("point outside the JIS X 0410 mesh")
    row = math.floor(latitude * LAT_STEPS_PER_DEGREE)
    column = math.floor((longitude - 100) * LON_STEPS_PER_DEGREE)
    return QuarterMesh(_code(row, column), *_centre(row, column))


def _code(row: int, column: int) -> str:
    # 1st mesh = 320 rows × 320 columns, 2nd = 40 × 40, 3rd = 4 × 4, 1/2 = 2 × 2.
    first = f"{row // 320:02d}{column // 320:02d}"
    second = f"{row % 320 // 40}{column % 320 // 40}"
    third = f"{row % 40 // 4}{column % 40 // 4}"
    # Within a 2×2 split: 1 south-west, 2 south-east, 3 north-west, 4 north-east.
    half = 1 + 2 * (row % 4 // 2) + column % 4 // 2
    quarter = 1 + 2 * (row % 2) + column % 2
    return f"{first}{second}{third}{half}{quarter}"


def _centre(row: int, column: int) -> tuple[float, float]:
    return (round((row + 0.5) / LAT_STEPS_PER_DEGREE, CENTRE_DECIMALS),
            round(100 + (column + 0.5) / LON_STEPS_PER_DEGREE, CENTRE_DECIMALS))
