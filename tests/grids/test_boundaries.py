"""Boundaries are checked before they are saved: shape, place in the parent, and neighbours."""

import pytest
from django.core.exceptions import ValidationError

from grids.choices import AreaLevel
from grids.geometry import parse_boundary
from grids.models import Area
from grids.services import area_create, area_set_boundary
from tests.factories import box

LATITUDE_FIRST = [[30.6, 111.2], [30.7, 111.2], [30.7, 111.3], [30.6, 111.2]]


def errors_of(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.message_dict.get("boundary", exc.value.messages))


def test_an_open_ring_is_refused_with_the_point_that_should_close_it(world):
    open_ring = {
        "type": "Polygon",
        "coordinates": [[[111.20, 30.60], [111.21, 30.60], [111.21, 30.61], [111.20, 30.61]]],
    }
    with pytest.raises(ValidationError) as exc:
        area_set_boundary(actor=world.users["admin"], area=world.grid_a, boundary=open_ring)
    assert "is not closed" in errors_of(exc)
    assert "111.2" in errors_of(exc)


def test_a_self_intersecting_polygon_is_refused_with_where_it_crosses(world):
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [[111.20, 30.60], [111.22, 30.64], [111.22, 30.60], [111.20, 30.64], [111.20, 30.60]]
        ],
    }
    with pytest.raises(ValidationError) as exc:
        area_set_boundary(actor=world.users["admin"], area=world.grid_a, boundary=bow_tie)
    assert "crosses itself near (111.210000, 30.620000)" in errors_of(exc)


def test_a_grid_outside_its_community_is_refused(world):
    outside = box(111.20, 30.64, 111.22, 30.66)  # in street A, north of community A
    with pytest.raises(ValidationError) as exc:
        area_set_boundary(actor=world.users["admin"], area=world.grid_a, boundary=outside)
    assert "outside 四方堰社区" in errors_of(exc)


def test_a_grid_overlapping_a_sibling_is_refused_naming_the_sibling(world):
    overlapping = box(111.20, 30.60, 111.23, 30.64)  # reaches 0.01° into grid A2
    with pytest.raises(ValidationError) as exc:
        area_set_boundary(actor=world.users["admin"], area=world.grid_a, boundary=overlapping)
    assert "overlaps 四方堰第二网格" in errors_of(exc)


def test_an_overlap_within_the_tolerance_is_accepted(world, settings):
    settings.BOUNDARY_OVERLAP_TOLERANCE_M2 = 20.0
    # A notch 1 cm (0.0000001°) into grid A2 along 220 m (0.002°) overlaps it by ~2 m².
    sliver = {
        "type": "Polygon",
        "coordinates": [[
            [111.20, 30.60], [111.2200001, 30.60], [111.2200001, 30.602], [111.22, 30.602],
            [111.22, 30.64], [111.20, 30.64], [111.20, 30.60],
        ]],
    }  # fmt: skip
    area = area_set_boundary(actor=world.users["admin"], area=world.grid_a, boundary=sliver)
    assert area.boundary["coordinates"][0][1] == [111.2200001, 30.60]


def test_a_valid_boundary_is_saved_as_clean_geojson(world):
    feature = {"type": "Feature", "properties": {}, "geometry": box(111.20, 30.60, 111.21, 30.62)}
    area = area_set_boundary(actor=world.users["admin"], area=world.grid_a, boundary=feature)
    area.refresh_from_db()
    assert area.boundary == box(111.20, 30.60, 111.21, 30.62)


def test_a_boundary_can_be_cleared(world):
    area = area_set_boundary(actor=world.users["admin"], area=world.grid_a, boundary=None)
    assert Area.objects.get(pk=area.pk).boundary is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not json", "not valid JSON"),
        ({"type": "Point", "coordinates": [111.2, 30.6]}, "Polygon or MultiPolygon, not Point"),
        ({"type": "Polygon", "coordinates": []}, "has no rings"),
        ({"type": "MultiPolygon", "coordinates": []}, "no coordinates"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]},
            "at least 4 positions",
        ),
        (
            {"type": "Polygon", "coordinates": [LATITUDE_FIRST]},
            "longitude first",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]},
            "crosses itself",  # a flat ring folds back on itself
        ),
    ],
)
def test_malformed_geojson_is_refused_with_a_message_naming_the_problem(data, message):
    with pytest.raises(ValidationError, match=message):
        parse_boundary(data)


def test_a_new_grid_is_checked_against_its_siblings_before_it_exists(world):
    with pytest.raises(ValidationError) as exc:
        area_create(
            actor=world.users["admin"],
            level=AreaLevel.GRID,
            code="420502001001003",
            name="重叠网格",
            parent=world.community_a,
            boundary=box(111.21, 30.60, 111.23, 30.62),
        )
    assert "overlaps" in errors_of(exc)
    assert not Area.objects.filter(code="420502001001003").exists()
