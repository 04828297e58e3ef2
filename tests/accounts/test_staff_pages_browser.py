"""The staff pages in a real browser (Debian's chromium): they fit a phone, run no blocked
script, and the remove-with-confirmation and error flows work without inline JavaScript.

Screenshots of each page at each width land in var/screenshots/staff-*.png.
"""

import pytest

from governance.accounts.models import RoleAssignment
from governance.accounts.roles import Role
from governance.accounts.services import role_assign, user_update
from tests.conftest import screenshot
from tests.factories import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def staffed_world(transactional_db):
    """The world, with a worker who holds three roles and has contact details."""
    world = build_world()
    admin, worker = world.users["admin"], world.users["worker"]
    user_update(
        actor=admin, user=worker, phone="13812345678", email="zhangsan@example.cn",
        unit=world.units["station_a"],
    )  # fmt: skip
    role_assign(actor=admin, user=worker, role=Role.GRID_LEADER, area=world.grid_a)
    role_assign(
        actor=admin, user=worker, role=Role.MEDIATOR, area=world.street_a,
        unit=world.units["mediation_a"],
    )  # fmt: skip
    return world


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_staff_pages_fit_the_screen_and_raise_no_browser_errors(
    staffed_world, live_server, page_as, width
):
    page = page_as("admin", viewport=width)
    worker = staffed_world.users["worker"]
    pages = {
        "list": "/staff/",
        "detail": f"/staff/{worker.pk}/",
        "create": "/staff/new/",
        "edit": f"/staff/{worker.pk}/edit/",
        "password": f"/staff/{worker.pk}/password/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        screenshot(page, f"staff-{name}-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a {width} screen"
    assert page.problems == []


def test_a_role_is_removed_after_a_confirmation_step(staffed_world, live_server, page_as):
    page = page_as("admin", viewport="phone")
    worker = staffed_world.users["worker"]
    leader = RoleAssignment.objects.get(user=worker, role=Role.GRID_LEADER)
    page.goto(f"{live_server.url}/staff/{worker.pk}/")
    confirm = page.locator(f"#remove-{leader.pk} button[type=submit]")
    assert not confirm.is_visible()
    page.click(f"button[data-bs-target='#remove-{leader.pk}']")
    confirm.wait_for(state="visible")
    screenshot(page, "staff-detail-confirm-phone")
    confirm.click()
    page.wait_for_url(f"{live_server.url}/staff/{worker.pk}/")
    assert page.locator(".alert-success").is_visible()
    assert not RoleAssignment.objects.filter(pk=leader.pk).exists()
    assert page.problems == []


def test_a_refused_role_shows_its_message_at_the_area_and_focuses_it(
    staffed_world, live_server, page_as
):
    page = page_as("admin", viewport="phone")
    worker = staffed_world.users["worker"]
    page.goto(f"{live_server.url}/staff/{worker.pk}/")
    page.select_option("#id_role", Role.GRID_WORKER)
    page.select_option("#id_area", str(staffed_world.street_a.pk))
    page.click("#add-role button[type=submit]")
    page.wait_for_load_state()
    screenshot(page, "staff-detail-error-phone")
    assert "is-invalid" in page.get_attribute("#id_area", "class")
    assert page.locator("#id_area ~ .invalid-feedback").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_area"
