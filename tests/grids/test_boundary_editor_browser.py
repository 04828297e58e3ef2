"""Drawing a grid's boundary on the map, in a real browser, and saving it."""

import pytest
from shapely.geometry import shape

from grids.services import area_set_boundary
from tests.conftest import screenshot

pytestmark = pytest.mark.browser

# Keep every map django-leaflet creates, so the test can turn coordinates into pixels.
CAPTURE_MAPS = (
    "window.__maps = []; window.addEventListener('map:init', e => __maps.push(e.detail.map));"
)


def to_page_xy(page, lat: float, lng: float) -> tuple[float, float]:
    return tuple(
        page.evaluate(
            """([lat, lng]) => { const map = window.__maps[0];
                const p = map.latLngToContainerPoint([lat, lng]);
                const box = map.getContainer().getBoundingClientRect();
                return [box.left + p.x, box.top + p.y]; }""",
            [lat, lng],
        )
    )


@pytest.fixture
def world_without_a2_boundary(transactional_db):
    from tests.factories import build_world

    world = build_world()
    area_set_boundary(actor=world.users["admin"], area=world.grid_a2, boundary=None)
    return world


def test_an_admin_draws_a_grid_boundary_with_the_rectangle_tool(world_without_a2_boundary, page_as):
    world = world_without_a2_boundary
    page = page_as("admin")
    page.add_init_script(CAPTURE_MAPS)
    page.goto(f"{page.base_url}/territory/{world.grid_a2.pk}/boundary/")
    page.wait_for_function("window.__maps && window.__maps.length === 1")
    # The parent (dashed) and the sibling grid A (grey) are drawn for reference.
    assert page.locator("#boundary-map path.leaflet-interactive").count() >= 1

    page.click(".leaflet-draw-draw-rectangle")
    x1, y1 = to_page_xy(page, 30.638, 111.222)
    x2, y2 = to_page_xy(page, 30.602, 111.238)
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=5)
    page.mouse.move(x2, y2, steps=5)
    page.mouse.up()
    assert page.input_value("#id_boundary").startswith('{"type":"Polygon"')
    screenshot(page, "territory-boundary-drawn")

    page.click("#boundary-form button[type=submit]")
    page.wait_for_url(f"{page.base_url}/territory/{world.grid_a2.pk}/")
    world.grid_a2.refresh_from_db()
    drawn = shape(world.grid_a2.boundary)
    west, south, east, north = drawn.bounds
    # Pixels round the corners by a few metres at this zoom; 0.0005° is about 50 m.
    assert west == pytest.approx(111.222, abs=5e-4)
    assert east == pytest.approx(111.238, abs=5e-4)
    assert south == pytest.approx(30.602, abs=5e-4)
    assert north == pytest.approx(30.638, abs=5e-4)
    assert page.problems == []


def test_an_overlapping_drawing_is_refused_and_explained_on_the_page(
    world_without_a2_boundary, page_as
):
    world = world_without_a2_boundary
    page = page_as("admin", viewport="phone")
    page.add_init_script(CAPTURE_MAPS)
    page.goto(f"{page.base_url}/territory/{world.grid_a2.pk}/boundary/")
    page.wait_for_function("window.__maps && window.__maps.length === 1")

    page.click(".leaflet-draw-draw-rectangle")
    x1, y1 = to_page_xy(page, 30.635, 111.215)  # starts inside grid A
    x2, y2 = to_page_xy(page, 30.605, 111.235)
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=8)
    page.mouse.up()
    page.click("#boundary-form button[type=submit]")
    page.wait_for_selector("#boundary-errors")

    assert "重叠" in page.inner_text("#boundary-errors")  # "overlaps", in Chinese
    screenshot(page, "territory-boundary-overlap-phone")
    world.grid_a2.refresh_from_db()
    assert world.grid_a2.boundary is None
