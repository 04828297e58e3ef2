"""The territory map in a real browser: every grid drawn, a popup per grid, phone and desktop."""

import pytest

from governance.demo import build_demo
from grids.models import Area
from tests.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    return build_demo(password=PASSWORD)


def open_map(page):
    page.goto(page.base_url + "/map/")
    page.wait_for_selector("#territory-map[data-loaded]")
    return page.locator("#territory-map .leaflet-overlay-pane path.leaflet-interactive")


def test_the_admin_sees_every_grid_drawn_and_opens_a_popup(demo, page_as):
    page = page_as("admin")
    polygons = open_map(page)
    grids = Area.objects.grids().filter(is_active=True, boundary__isnull=False)

    assert page.locator("#territory-map").get_attribute("data-loaded") == str(grids.count())
    assert polygons.count() == grids.count() >= 100
    assert page.locator(".map-legend").is_visible()  # community colours (hidden on phones)
    screenshot(page, "territory-map-desktop")

    grid_a = demo.grid_a
    # Paths are drawn in the layer's order, which is by code.
    index = sorted(grids.values_list("code", flat=True)).index(grid_a.code)
    polygons.nth(index).click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    page.wait_for_timeout(400)  # let the popup's fade-in finish before the screenshot
    text = popup.inner_text()
    assert grid_a.name in text
    assert grid_a.code in text
    assert demo.users["worker"].full_name in text  # the grid's worker
    screenshot(page, "territory-map-popup")
    assert page.problems == []


def test_a_grid_worker_on_a_phone_sees_only_their_grid(demo, page_as):
    page = page_as("worker", viewport="phone")
    polygons = open_map(page)
    assert polygons.count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "territory-map-phone-worker")
    assert page.problems == []
