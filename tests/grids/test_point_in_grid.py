"""Which grid contains a point: inside, on a shared edge, outside, and after boundaries change."""

import pytest

from grids.services import area_set_boundary, area_update
from grids.spatial import GridLocator, grid_at, grid_locator
from tests.factories import box


def test_a_point_inside_a_grid_is_found_in_that_grid(world):
    assert grid_at(111.21, 30.62) == world.grid_a
    assert grid_at(111.26, 30.61) == world.grid_b


def test_a_point_on_an_edge_shared_by_two_grids_goes_to_the_smaller_code(world):
    # Grids A and A2 share the meridian 111.22; A's code is the smaller one.
    assert world.grid_a.code < world.grid_a2.code
    assert grid_at(111.22, 30.62) == world.grid_a


def test_a_point_on_a_shared_corner_is_decided_the_same_way(world):
    # 111.24 is where A2 (street A) meets B (street B).
    assert grid_at(111.24, 30.64) == world.grid_a2


def test_the_shared_edge_rule_does_not_depend_on_loading_order():
    west, east = (1, "100000000000002", box(0, 0, 1, 1)), (2, "100000000000001", box(1, 0, 2, 1))
    for rows in ([west, east], [east, west]):
        assert GridLocator(rows).locate(1.0, 0.5) == 2


def test_a_point_outside_every_grid_is_in_no_grid(world):
    assert grid_at(111.30, 30.62) is None  # east of the district
    assert grid_at(111.21, 30.66) is None  # inside street A but north of its community


def test_many_points_are_located_in_one_query_with_the_same_answers(world):
    points = [(111.21, 30.62), (111.22, 30.62), (111.26, 30.61), (111.30, 30.62)]
    expected = [world.grid_a.id, world.grid_a.id, world.grid_b.id, None]
    assert grid_locator().locate_many(points) == expected


def test_a_changed_boundary_is_seen_by_the_next_lookup(world):
    admin = world.users["admin"]
    assert grid_at(111.21, 30.62) == world.grid_a
    # Grid A shrinks to its western half; the freed strip belongs to no grid.
    area_set_boundary(actor=admin, area=world.grid_a, boundary=box(111.20, 30.60, 111.21, 30.64))
    assert grid_at(111.215, 30.62) is None
    assert grid_at(111.205, 30.62) == world.grid_a


def test_a_deactivated_grid_no_longer_contains_points(world):
    area_update(actor=world.users["admin"], area=world.grid_b, is_active=False)
    assert grid_at(111.26, 30.61) is None


@pytest.mark.django_db
def test_lookups_stay_fast_for_a_city_of_grids(django_assert_max_num_queries):
    """1,600 grids in a 40 x 40 lattice: building the index is one query, a lookup none."""
    rows = []
    for i in range(40):
        for j in range(40):
            west, south = 111.0 + i * 0.01, 30.0 + j * 0.01
            cell = box(west, south, west + 0.01, south + 0.01)
            rows.append((i * 40 + j + 1, f"4205020010{i * 40 + j:05d}", cell))
    locator = GridLocator(rows)
    assert len(locator) == 1600
    with django_assert_max_num_queries(0):
        hits = locator.locate_many([(111.0 + i * 0.01 + 0.005, 30.205) for i in range(40)])
    assert hits == [i * 40 + 20 + 1 for i in range(40)]
