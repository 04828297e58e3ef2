"""The territory pages: the tree with counts, the map layer, and editing through forms and API."""

import json

import pytest
import shapely
from shapely.geometry import shape

from governance.demo import build_demo
from grids.choices import AreaLevel
from grids.models import Area, Unit
from grids.selectors import community_colours, territory_tree
from tests.factories import PASSWORD, box


def test_the_tree_counts_what_lies_under_each_area(world):
    [district] = territory_tree(world.users["admin"])
    assert district.area == world.district
    counts = district.counts
    assert (counts.streets, counts.communities, counts.grids) == (2, 2, 3)
    assert district.counts.grid_workers == 2  # worker (grid A) and worker2 (grid B)
    assert district.counts.grids_without_worker == 1  # grid A2
    street_a = district.children[0]
    assert (street_a.area, street_a.counts.grids, street_a.counts.grid_workers) == (
        world.street_a,
        2,
        1,
    )


def test_a_street_dispatcher_sees_only_the_tree_of_their_street(world):
    roots = territory_tree(world.users["street"])
    assert [node.area for node in roots] == [world.street_a]


def test_a_grid_worker_sees_only_their_grid(world):
    assert [node.area for node in territory_tree(world.users["worker"])] == [world.grid_a]


def test_the_tree_page_shows_counts_and_costs_the_same_queries_for_more_grids(
    world, client_for, django_assert_max_num_queries
):
    admin = client_for("admin")
    with django_assert_max_num_queries(12):
        html = admin.get("/territory/").content.decode()
    assert "2 streets" in html
    assert "1 grid without worker" in html
    for n in range(3, 23):  # 20 more grids in community A, stacked in its northern half
        south = 30.62 + (n - 3) * 0.001
        cell = box(111.20, south, 111.201, south + 0.001)
        Area.objects.create(
            level=AreaLevel.GRID, code=f"420502001001{n:03d}", name=f"网格{n}",
            parent=world.community_a, grid_type="basic", boundary=cell,
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        assert admin.get("/territory/").status_code == 200


def test_the_map_layer_has_every_visible_grid_with_its_popup_details(world, client_for):
    layer = client_for("admin").get("/map/grids.geojson").json()
    features = {f["properties"]["code"]: f for f in layer["features"]}
    assert set(features) == {world.grid_a.code, world.grid_a2.code, world.grid_b.code}
    grid_a = features[world.grid_a.code]["properties"]
    assert grid_a["name"] == "四方堰第一网格"
    assert grid_a["community"] == "四方堰社区"
    assert grid_a["workers"] == ["张三"]
    # Grids of one community share a colour; another community gets another.
    colour = {code: f["properties"]["colour"] for code, f in features.items()}
    assert colour[world.grid_a.code] == colour[world.grid_a2.code] != colour[world.grid_b.code]


def test_the_map_layer_of_a_grid_worker_holds_only_their_grid(world, client_for):
    layer = client_for("worker").get("/map/grids.geojson").json()
    assert [f["properties"]["code"] for f in layer["features"]] == [world.grid_a.code]


def test_the_map_layer_costs_the_same_queries_whatever_the_number_of_grids(
    world, client_for, django_assert_max_num_queries
):
    admin = client_for("admin")
    with django_assert_max_num_queries(8):
        assert len(admin.get("/map/grids.geojson").json()["features"]) == 3
    for n in range(3, 23):
        south = 30.62 + (n - 3) * 0.001
        cell = box(111.20, south, 111.201, south + 0.001)
        Area.objects.create(
            level=AreaLevel.GRID, code=f"420502001001{n:03d}", name=f"网格{n}",
            parent=world.community_a, grid_type="basic", boundary=cell,
        )  # fmt: skip
    with django_assert_max_num_queries(8):
        assert len(admin.get("/map/grids.geojson").json()["features"]) == 23


def test_an_admin_creates_a_grid_from_the_form(world, client_for):
    response = client_for("admin").post(
        "/territory/new/",
        {
            "level": "grid",
            "parent": world.community_a.pk,
            "code": "420502001001003",
            "name": "四方堰第三网格",
            "grid_type": "market",
        },
    )
    grid = Area.objects.get(code="420502001001003")
    assert response.status_code == 302
    assert response["Location"] == f"/territory/{grid.pk}/"
    assert grid.grid_type == "market"


def test_a_bad_code_is_shown_at_the_code_field_and_nothing_is_saved(world, client_for):
    response = client_for("admin").post(
        "/territory/new/",
        {"level": "grid", "parent": world.community_a.pk, "code": "420502002001003",
         "name": "错位网格"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "The code must start with the code of 四方堰社区: 420502001001."
    ]
    assert not Area.objects.filter(code="420502002001003").exists()


def test_the_boundary_page_saves_a_drawn_boundary(world, client_for):
    drawn = box(111.20, 30.60, 111.21, 30.63)
    response = client_for("admin").post(
        f"/territory/{world.grid_a.pk}/boundary/", {"boundary": json.dumps(drawn)}
    )
    assert response.status_code == 302
    world.grid_a.refresh_from_db()
    assert world.grid_a.boundary == drawn


def test_the_boundary_page_explains_an_overlap_and_keeps_the_old_boundary(world, client_for):
    before = world.grid_a.boundary
    response = client_for("admin").post(
        f"/territory/{world.grid_a.pk}/boundary/",
        {"boundary": json.dumps(box(111.20, 30.60, 111.23, 30.64))},
    )
    assert response.status_code == 200
    assert "overlaps 四方堰第二网格" in response.content.decode()
    world.grid_a.refresh_from_db()
    assert world.grid_a.boundary == before


def test_an_admin_edits_a_unit_and_its_department_handlers_follow_its_jurisdiction(
    world, client_for
):
    police = world.units["police_a"]
    response = client_for("admin").post(
        f"/units/{police.pk}/edit/",
        {"name": "西陵派出所", "kind": "department", "department_type": "police",
         "area": world.district.pk, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Unit.objects.get(pk=police.pk).area == world.district
    dept = world.users["dept"].role_assignments.get()
    assert dept.area == world.district


def test_a_department_needs_its_department_type(world, client_for):
    response = client_for("admin").post(
        "/units/new/", {"name": "某部门", "kind": "department", "area": world.district.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["department_type"] == ["Choose the kind of department."]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 201), ("district", 403), ("worker", 403)],
)
def test_only_an_admin_creates_areas_through_the_api(world, client_for, persona, expected):
    response = client_for(persona).post(
        "/api/v1/areas/",
        {"level": "grid", "parent": world.community_a.pk, "code": "420502001001004",
         "name": "接口网格"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == expected


def test_the_api_reports_a_bad_boundary_at_its_field(world, client_for):
    response = client_for("admin").post(
        f"/api/v1/areas/{world.grid_a.pk}/boundary/",
        {"boundary": box(111.20, 30.60, 111.23, 30.64)},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "overlaps" in error["fields"]["boundary"][0]


def test_the_api_locates_the_grid_of_a_point(world, client_for):
    response = client_for("worker").get("/api/v1/areas/locate/?lng=111.21&lat=30.62")
    assert response.json()["code"] == world.grid_a.code
    outside = client_for("worker").get("/api/v1/areas/locate/?lng=111.26&lat=30.61")
    assert outside.status_code == 404  # grid B exists, but not for this worker


def test_communities_that_touch_never_share_a_colour(db):
    demo = build_demo(password=PASSWORD)
    grids = list(Area.objects.grids().filter(boundary__isnull=False).select_related("parent"))
    colour = community_colours(grids)
    outlines = {c.code: c for c in demo.communities}

    touching_pairs = 0
    for a in outlines.values():
        for b in outlines.values():
            if a.code < b.code and shapely.intersects(shape(a.boundary), shape(b.boundary)):
                touching_pairs += 1
                assert colour[a.code] != colour[b.code], (a.name, b.name)
    assert touching_pairs > 20
