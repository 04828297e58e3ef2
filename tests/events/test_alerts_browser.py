"""The colours in a real browser: the street console shows a badge with words per event and a
count per colour, filters by colour; the leader's supervision list holds the red ones; a grid
worker's phone page shows the colours of what they filed. Screenshots land in
var/screenshots/alerts-*.png.

The item counts its urgent limits in calendar hours (one hour to dispatch), so the colours
depend on minutes, not on the time of day the test runs at."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.catalogue import ensure_catalogue
from events.choices import Urgency
from events.models import ServiceCategory
from events.workflow import EventStatus
from tests.conftest import screenshot
from tests.events.helpers import fresh, walk
from tests.factories import build_world

pytestmark = pytest.mark.browser

# Minutes since the report → the colour at the sweep (blue 30, yellow 45, orange 60, red 90).
AGES = {"red": 100, "orange": 70, "yellow": 50, "blue": 35, "none": 5}


@pytest.fixture
def coloured_world(transactional_db):
    world = build_world()
    ensure_catalogue()
    item = services.service_item_create(
        actor=world.users["admin"], code="T0104", category=ServiceCategory.objects.get(code="0102"),
        name="井盖缺失（预警测试）", responsible_kind="department", department_type="police",
        closing_level="street", urgent_calendar_hours=True,
    )  # fmt: skip
    now = timezone.now()
    world.events = {
        code: walk(world, item, EventStatus.GRABBED, now=now - timedelta(minutes=minutes),
                   urgency=Urgency.URGENT)
        for code, minutes in AGES.items()
    }  # fmt: skip
    services.sweep_alerts(now=now)
    assert {c: fresh(e).alert_code for c, e in world.events.items()} == {c: c for c in AGES}
    return world


def test_the_street_console_shows_the_colours_in_words_and_filters_by_them(coloured_world, page_as):
    page = page_as("street")
    page.goto(f"{page.base_url}/events/console/?tab=all&sort=alert")

    rows = page.locator("table.event-table tbody tr")
    assert rows.count() == 5
    assert [rows.nth(i).get_attribute("data-alert") for i in range(5)] == [
        "red", "orange", "yellow", "blue", "none",
    ]  # fmt: skip
    red_badge = rows.nth(0).locator(".alert-badge")
    assert "红色预警" in red_badge.inner_text()
    assert "超期" in red_badge.inner_text()
    assert "蓝色预警" in rows.nth(3).locator(".alert-badge").inner_text()
    for code in ("blue", "yellow", "orange", "red"):
        chip = page.locator(f".alert-chips a[data-alert='{code}'] .badge")
        assert chip.inner_text() == "1", code
    screenshot(page, "alerts-street-console")

    page.locator(".alert-chips a[data-alert='red']").click()
    page.wait_for_load_state("load")
    assert page.locator("table.event-table tbody tr").count() == 1
    assert page.problems == []


def test_the_leader_finds_the_red_event_on_the_supervision_list_and_presses_it(
    coloured_world, page_as
):
    red = coloured_world.events["red"]
    page = page_as("leader")
    page.goto(f"{page.base_url}/supervision/")

    rows = page.locator("table.supervision-table tbody tr[data-event]")
    assert rows.count() == 1
    assert red.number in rows.first.inner_text()
    assert "西陵街道综治中心" in rows.first.inner_text()
    rows.first.locator("summary").click()
    rows.first.locator("textarea[name=note]").fill("请今日内派单并反馈")
    rows.first.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".alert-success").count() == 1
    assert "1" in page.locator(".assessment-table tbody tr").first.inner_text()
    screenshot(page, "alerts-supervision")
    assert page.problems == []


def test_a_grid_worker_sees_the_colours_of_their_reports_on_a_phone(coloured_world, page_as):
    page = page_as("worker", viewport="phone")
    page.goto(f"{page.base_url}/events/mine/?tab=mine")

    assert page.locator(".list-group .alert-badge[data-alert='red']").count() == 1
    assert page.locator(".list-group .alert-badge").count() == 5
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "alerts-mine-phone")
    assert page.problems == []
