"""The grid worker's phone flow in a real browser (Debian's chromium, 390 x 844): open the
grid, a building floor by floor, a house; add a resident (the bad check digit is caught at the
field); see the masked ID in the list. Screenshots land in var/screenshots/residents-*.png."""

import pytest
from django.utils import translation

from residents.models import Resident
from tests.conftest import screenshot
from tests.factories import build_world
from tests.residents.conftest import build_registry, make_id

pytestmark = pytest.mark.browser

NEW_ID = make_id("19930415", 246)


@pytest.fixture
def live_registry(transactional_db):
    return build_registry(build_world())


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def test_a_worker_adds_a_resident_on_a_phone(live_registry, live_server, page_as):
    registry = live_registry
    page = page_as("worker", viewport="phone")

    page.goto(f"{live_server.url}/residents/grids/{registry.world.grid_a.pk}/")
    page.wait_for_selector("#buildings-map[data-loaded='1']")
    _fits(page)
    screenshot(page, "residents-grid-phone")

    page.click(f"a[href='/residents/buildings/{registry.building_a.pk}/']")
    page.wait_for_selector(".floor")
    _fits(page)
    screenshot(page, "residents-building-phone")

    page.click(f"a[href='/residents/houses/{registry.house_a.pk}/']")
    page.click(f"a[href='/residents/houses/{registry.house_a.pk}/residents/new/']")
    page.wait_for_load_state("load")  # residents.js listens from here on
    bad = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")
    page.fill("#id_name", "陈小梅")
    page.fill("#id_id_number", bad)
    hint = page.locator(".id-hint.text-danger")
    hint.wait_for(state="visible")  # the hint while typing, before anything is sent
    assert "校验码" in hint.inner_text()
    page.fill("#id_phone", "139 0000 1234")
    page.select_option("#id_relation", "spouse")
    page.click("form[data-resident-form] button[type=submit]:not([name])")
    page.wait_for_load_state()

    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The check digit (the last character) does not match the other 17; "
            "a character was probably mistyped."
        )
    error = page.locator("#id_id_number ~ .invalid-feedback")
    assert error.is_visible()
    assert expected in error.inner_text()
    assert "is-invalid" in page.get_attribute("#id_id_number", "class")
    assert page.input_value("#id_name") == "陈小梅"  # nothing typed is lost
    assert not Resident.objects.filter(name="陈小梅").exists()
    _fits(page)
    screenshot(page, "residents-form-error-phone")

    page.fill("#id_id_number", NEW_ID)
    page.click("form[data-resident-form] button[type=submit]:not([name])")
    page.wait_for_url(f"{live_server.url}/residents/houses/{registry.house_a.pk}/")
    masked = "4205**********" + NEW_ID[-4:]
    row = page.locator(".resident-list a", has_text="陈小梅")
    assert masked in row.inner_text()
    assert NEW_ID not in page.content()
    _fits(page)
    screenshot(page, "residents-house-phone")

    page.goto(f"{live_server.url}/residents/?q=cxm")
    assert masked in page.locator(".resident-list").inner_text()
    assert NEW_ID not in page.content()
    screenshot(page, "residents-search-phone")

    resident = Resident.objects.get(name="陈小梅")
    assert resident.household == registry.resident_a.household
    assert page.problems == []


def test_a_worker_reveals_a_phone_with_a_reason_and_sees_their_visits(
    live_registry, live_server, page_as
):
    registry = live_registry
    page = page_as("worker", viewport="phone")

    page.goto(f"{live_server.url}/")
    assert page.locator("#panel-care-due").is_visible()
    screenshot(page, "residents-home-phone")

    page.goto(f"{live_server.url}/residents/people/{registry.resident_a.pk}/")
    box = page.locator(f"#reveal-resident-{registry.resident_a.pk}-phone")
    box.locator("summary").click()
    box.locator("input[name=reason]").fill("上门走访前联系")
    box.locator("button[type=submit]").click()
    page.wait_for_selector(".revealed-value")
    assert page.locator(".revealed-value").inner_text() == "13812345678"
    _fits(page)
    screenshot(page, "residents-reveal-phone")

    page.goto(f"{live_server.url}/care/{registry.membership_a.pk}/")
    _fits(page)
    screenshot(page, "residents-visit-phone")
    page.fill("#id_finding", "老人身体健康，家中整洁。")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".alert-success").is_visible()
    assert page.problems == []


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_registry_pages_fit_the_screen_and_raise_no_browser_errors(
    live_registry, live_server, page_as, width
):
    registry = live_registry
    page = page_as("community", viewport=width)
    pages = {
        "list": "/residents/",
        "grids": "/residents/grids/",
        "resident": f"/residents/people/{registry.resident_a.pk}/",
        "edit": f"/residents/people/{registry.resident_a.pk}/edit/",
        "rentals": "/residents/rentals/?state=all",
        "rental": f"/residents/rentals/{registry.rental_a.pk}/",
        "rental-new": f"/residents/houses/{registry.house_a.pk}/rentals/new/",
        "care": "/care/?state=all",
        "enrol": f"/residents/people/{registry.resident_a.pk}/care/new/",
        "venues": "/venues/?uninspected=1",
        "venue": f"/venues/{registry.venue_a.pk}/",
        "building-new": f"/residents/grids/{registry.world.grid_a.pk}/buildings/new/",
        "import": "/residents/import/",
        "home": "/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        screenshot(page, f"residents-{name}-{width}")
        _fits(page)
    assert page.problems == []
