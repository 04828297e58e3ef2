"""The calendar page in a real browser, as an administrator on a phone and on a desk."""

from __future__ import annotations

from datetime import date

import pytest

from governance.worktime.models import DayOverride
from tests.conftest import screenshot
from tests.factories import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_the_admin_reads_a_year_with_its_holidays_and_make_up_days_on_a_phone(live_world, page_as):
    page = page_as("admin", viewport="phone")
    page.goto(page.base_url + "/calendar/2026/")
    october = page.locator("#year-grid section").nth(9)
    assert "十月" in october.locator(".card-header").inner_text()
    national_day = october.locator("td.wt-holiday").first
    assert national_day.locator(".wt-num").inner_text() == "1"
    assert national_day.locator(".wt-tag").inner_text() == "休"
    assert "国庆节" in national_day.locator("a").get_attribute("title")
    makeup = october.locator("td.wt-workday")
    assert makeup.count() == 1
    assert makeup.locator(".wt-num").inner_text() == "10"
    assert makeup.locator(".wt-tag").inner_text() == "班"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "worktime-year-phone")
    assert page.problems == []


def test_the_admin_enters_a_day_of_next_year_from_the_grid(live_world, page_as):
    page = page_as("admin")
    page.goto(page.base_url + "/calendar/2027/")
    assert page.locator("#year-not-entered").is_visible()
    screenshot(page, "worktime-year-2027-desktop")
    page.locator('a[href="/calendar/days/new/?date=2027-01-01"]').click()
    assert page.locator("#id_date").input_value() == "2027-01-01"
    page.locator("input[name=kind][value=holiday]").check()
    page.fill("#id_name", "元旦")
    screenshot(page, "worktime-day-form")
    page.click("#content form button[type=submit]")
    page.wait_for_url(page.base_url + "/calendar/2027/")
    assert page.locator("#year-not-entered").count() == 0
    assert DayOverride.objects.get(date=date(2027, 1, 1)).name == "元旦"
    first = page.locator("#year-grid section").first.locator("td.wt-holiday")
    assert first.locator(".wt-tag").inner_text() == "休"
    assert page.problems == []


def test_the_working_hours_form_fits_a_phone(live_world, page_as):
    page = page_as("admin", viewport="phone")
    page.goto(page.base_url + "/calendar/hours/")
    page.fill("#id_start_2", "13:00")
    page.click("#content form button[type=submit]")
    page.wait_for_url(page.base_url + "/calendar/")
    page.goto(page.base_url + "/calendar/hours/")
    assert page.locator("#id_start_2").input_value() == "13:00"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "worktime-hours-phone")
    page.goto(page.base_url + "/")
    screenshot(page, "worktime-admin-home")
    assert page.problems == []
