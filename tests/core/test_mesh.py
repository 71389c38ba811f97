"""The 1/4 地域メッシュ arithmetic against published mesh codes."""

import pytest

from komoro_engage.core.mesh import quarter_mesh

# Codes as the tests of the jismesh library (github.com/miettal/jismesh) give them
# for its level 5, the 1/4 mesh.
KNOWN = [
    ("Tokyo Tower", 35.658581, 139.745433, "5339359921"),
    ("Kyoto Tower", 34.987574, 135.759363, "5235368041"),
]


@pytest.mark.parametrize(("name", "lat", "lon", "code"), KNOWN, ids=[k[0] for k in KNOWN])
def test_known_codes(name, lat, lon, code):
    assert quarter_mesh(lat, lon).code == code


def test_komoro_city_hall_is_in_the_5438_first_mesh():
    # 36.3275 N × 1.5 = 54.49 → 54; 138 − 100 = 38: Komoro lies in 1st mesh 5438.
    assert quarter_mesh(36.3275, 138.4261).code.startswith("5438")


def test_centre_lies_in_its_own_cell_and_within_half_a_cell_of_the_point():
    lat, lon = 36.32912345, 138.43123456
    mesh = quarter_mesh(lat, lon)
    assert quarter_mesh(mesh.latitude, mesh.longitude).code == mesh.code
    assert abs(mesh.latitude - lat) <= 1 / 960 + 1e-9  # half of 7.5″
    assert abs(mesh.longitude - lon) <= 1 / 640 + 1e-9  # half of 11.25″


def test_every_point_of_a_cell_publishes_the_same_centre():
    corner = quarter_mesh(36.3250001, 138.4250001)
    inside = quarter_mesh(36.3250001 + 1 / 480 - 1e-6, 138.4250001 + 1 / 320 - 1e-6)
    assert corner == inside


def test_quadrant_digits_run_south_west_to_north_east():
    base_lat, base_lon = 36 + 1 / 960 * 0.5, 138 + 1 / 640 * 0.5  # the first cell of a 3rd mesh
    digits = [quarter_mesh(base_lat + dy / 480, base_lon + dx / 320).code[-2:]
              for dy in (0, 1, 2, 3) for dx in (0, 1, 2, 3)]
    assert digits[:4] == ["11", "12", "21", "22"]
    assert digits[4:8] == ["13", "14", "23", "24"]
    assert digits[12:] == ["33", "34", "43", "44"]


@pytest.mark.parametrize(("lat", "lon"), [(-1, 138), (36, 99.9), (float("nan"), 138),
                                          (36, float("inf")), (70, 138)])
def test_points_outside_the_mesh_are_refused(lat, lon):
    with pytest.raises(ValueError):
        quarter_mesh(lat, lon)
