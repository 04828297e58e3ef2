"""The calendar pages: only administrators, field-level errors, nothing half-saved, few queries."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.worktime.calendar import working_periods
from governance.worktime.choices import DaySource
from governance.worktime.models import DayOverride, WorkingHours
from tests.factories import PERSONAS

STAFF = [p for p in PERSONAS if p != "anonymous"]

PAGES = [
    ("current year", lambda w: "/calendar/"),
    ("year 2026", lambda w: "/calendar/2026/"),
    ("refill 2026", lambda w: "/calendar/2026/refill/"),
    ("add a day", lambda w: "/calendar/days/new/"),
    ("edit a day", lambda w: f"/calendar/days/{national_day().pk}/edit/"),
    ("delete a day", lambda w: f"/calendar/days/{national_day().pk}/delete/"),
    ("working hours", lambda w: "/calendar/hours/"),
]


def national_day() -> DayOverride:
    return DayOverride.objects.get(date=date(2026, 10, 1))


@pytest.mark.parametrize("persona", STAFF)
@pytest.mark.parametrize(("name", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_only_an_admin_may_open_the_calendar_pages(client_for, world, persona, name, url):
    response = client_for(persona).get(url(world))
    assert response.status_code == (200 if persona == "admin" else 403), f"{persona} GET {name}"


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_an_anonymous_visitor_is_sent_to_log_in(client_for, world, name, url):
    response = client_for("anonymous").get(url(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("persona", ["street", "leader", "worker"])
def test_no_one_but_an_admin_may_post_to_the_calendar(client_for, world, persona):
    client = client_for(persona)
    day = national_day()
    posts = [
        ("/calendar/days/new/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}),
        (f"/calendar/days/{day.pk}/edit/", {"kind": "holiday", "name": "改"}),
        (f"/calendar/days/{day.pk}/delete/", {}),
        ("/calendar/2026/refill/", {}),
        ("/calendar/hours/", {"start_1": "09:00", "end_1": "17:00"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert DayOverride.objects.filter(date=date(2027, 1, 1)).count() == 0
    assert national_day().name == "国庆节"


def test_the_calendar_link_shows_in_the_navigation_of_admins_only(client_for, world):
    assert 'href="/calendar/"' in client_for("admin").get("/").content.decode()
    assert 'href="/calendar/"' not in client_for("street").get("/").content.decode()


# --- The year view ------------------------------------------------------------------------------


def cell(html: str, day: date) -> str:
    """The grid cell of ``day`` (its link carries the date or the entry's id)."""
    entry = DayOverride.objects.filter(date=day).first()
    href = (
        f"/calendar/days/{entry.pk}/edit/"
        if entry
        else f"/calendar/days/new/?date={day.isoformat()}"
    )
    pattern = r'<td class="([^"]*)"[^>]*>\s*<a href="' + re.escape(href) + r'".*?</td>'
    match = re.search(pattern, html, re.S)
    assert match, f"no cell for {day}"
    return match.group(0)


def test_the_year_view_marks_holidays_and_make_up_days_with_colour_and_text(client_for, world):
    html = client_for("admin").get("/calendar/2026/").content.decode()
    holiday = cell(html, date(2026, 10, 1))
    assert all(text in holiday for text in ("wt-holiday", "Off", "国庆节", "Statutory holiday"))
    makeup = cell(html, date(2026, 10, 10))
    assert all(text in makeup for text in ("wt-workday", "Work", "Make-up workday"))
    weekend = cell(html, date(2026, 10, 17))
    assert all(text in weekend for text in ("wt-weekend", "Weekend"))
    ordinary = cell(html, date(2026, 10, 12))
    assert not any(text in ordinary for text in ("wt-holiday", "wt-weekend", "wt-workday"))
    assert "Loaded from the chinese-calendar package" in html
    assert html.count('<section class="card h-100 wt-month-card">') == 12


@time_machine.travel("2026-11-24 10:00 +0800", tick=False)
def test_the_page_warns_about_next_year_while_nobody_entered_it(client_for, world):
    html = client_for("admin").get("/calendar/2026/").content.decode()
    assert 'id="years-to-enter"' in html
    assert re.search(r'href="/calendar/2027/">2027</a>', html)
    assert 'id="year-not-entered"' not in html

    html = client_for("admin").get("/calendar/2027/").content.decode()
    assert 'id="year-not-entered"' in html
    assert "count every Monday to Friday as a working day" in html
    assert "covers 2004–2026 only" in html
    assert "Refill 2027" not in html


@time_machine.travel("2026-11-24 10:00 +0800", tick=False)
def test_the_warning_goes_once_someone_enters_a_day_of_next_year(client_for, world):
    client = client_for("admin")
    client.post("/calendar/days/new/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    html = client.get("/calendar/2026/").content.decode()
    assert 'id="years-to-enter"' not in html


def test_the_year_view_costs_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("admin")
    client.get("/calendar/2026/")  # builds this process's calendar
    # Six for the shell (session, user, permissions, roles, unread notifications), two for the
    # year: its entries and when it was loaded from the package.
    with django_assert_max_num_queries(8):
        response = client.get("/calendar/2026/")
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        client.get("/calendar/2027/")


def test_a_year_outside_the_calendar_s_range_is_not_found(client_for, world):
    assert client_for("admin").get("/calendar/1800/").status_code == 404


# --- Entering, changing and deleting days -------------------------------------------------------


def test_an_admin_adds_a_holiday_from_the_page(client_for, world):
    response = client_for("admin").post(
        "/calendar/days/new/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/calendar/2027/"
    entry = DayOverride.objects.get(date=date(2027, 1, 1))
    assert (entry.name, entry.source) == ("元旦", DaySource.MANUAL)


def test_a_make_up_weekday_is_refused_at_the_kind_field_and_nothing_is_saved(client_for, world):
    response = client_for("admin").post(
        "/calendar/days/new/", {"date": "2027-01-04", "kind": "workday", "name": "调休"}
    )
    assert response.status_code == 200
    assert "a working day anyway" in " ".join(response.context["form"].errors["kind"])
    assert not DayOverride.objects.filter(date=date(2027, 1, 4)).exists()


def test_a_date_that_already_has_an_entry_is_refused_at_the_date_field(client_for, world):
    response = client_for("admin").post(
        "/calendar/days/new/", {"date": "2026-10-01", "kind": "holiday", "name": "重复"}
    )
    assert "already has an entry" in " ".join(response.context["form"].errors["date"])


def test_missing_and_malformed_fields_are_reported_without_a_server_error(client_for, world):
    response = client_for("admin").post("/calendar/days/new/", {"date": "31/12/2027", "kind": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date", "kind", "name"}


def test_clicking_a_day_that_has_an_entry_opens_that_entry(client_for, world):
    response = client_for("admin").get("/calendar/days/new/?date=2026-10-01")
    assert response.status_code == 302
    assert response["Location"] == f"/calendar/days/{national_day().pk}/edit/"
    response = client_for("admin").get("/calendar/days/new/?date=2027-01-02")
    assert response.context["form"].initial == {"date": date(2027, 1, 2), "kind": "workday"}


def test_an_admin_renames_an_entry_from_the_package_and_it_becomes_their_own(client_for, world):
    day = national_day()
    response = client_for("admin").post(
        f"/calendar/days/{day.pk}/edit/",
        {"date": "2030-01-01", "kind": "holiday", "name": "国庆节（本地）"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.date, day.name, day.source) == (date(2026, 10, 1), "国庆节（本地）", "manual")


def test_an_admin_deletes_an_entry_after_confirming(client_for, world):
    day = national_day()
    client = client_for("admin")
    assert (
        "a refill of its year would bring it back"
        in client.get(f"/calendar/days/{day.pk}/delete/").content.decode()
    )
    response = client.post(f"/calendar/days/{day.pk}/delete/")
    assert response["Location"] == "/calendar/2026/"
    assert not DayOverride.objects.filter(pk=day.pk).exists()


def test_the_refill_page_shows_what_would_change_before_changing_it(client_for, world):
    national_day().delete()
    client = client_for("admin")
    html = client.get("/calendar/2026/refill/").content.decode()
    assert "1 entry will be added" in html
    assert DayOverride.objects.filter(date=date(2026, 10, 1)).count() == 0
    response = client.post("/calendar/2026/refill/")
    assert response["Location"] == "/calendar/2026/"
    assert national_day().source == DaySource.PACKAGE


def test_a_year_the_package_does_not_cover_cannot_be_refilled_from_the_page(client_for, world):
    client = client_for("admin")
    assert "does not cover 2027" in client.get("/calendar/2027/refill/").content.decode()
    response = client.post("/calendar/2027/refill/")
    assert response.status_code == 200
    assert "not 2027: enter those years by hand" in response.content.decode()


# --- Working hours ------------------------------------------------------------------------------


def test_an_admin_sets_the_working_hours_from_the_page(client_for, world):
    response = client_for("admin").post(
        "/calendar/hours/",
        {"start_1": "09:00", "end_1": "12:00", "start_3": "13:00", "end_3": "18:00"},
    )
    assert response.status_code == 302
    assert WorkingHours.objects.get().periods == [["09:00", "12:00"], ["13:00", "18:00"]]


def test_an_overlapping_period_is_refused_at_the_row_it_is_on(client_for, world):
    response = client_for("admin").post(
        "/calendar/hours/",
        {"start_1": "08:00", "end_1": "12:00", "start_3": "11:00", "end_3": "17:00"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["start_3"]
    assert "before the previous one ends" in errors["start_3"][0]
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert working_periods() == [(time(8, 30), time(12)), (time(14), time(17, 30))]


def test_a_half_filled_row_and_an_empty_form_are_refused(client_for, world):
    client = client_for("admin")
    errors = client.post("/calendar/hours/", {"start_1": "08:00"}).context["form"].errors
    assert "Enter the end of this period too." in errors["end_1"]
    errors = client.post("/calendar/hours/", {}).context["form"].errors
    assert "Enter at least one working period." in errors["start_1"]
    errors = (
        client.post("/calendar/hours/", {"start_2": "25:00", "end_2": "x"}).context["form"].errors
    )
    assert set(errors) == {"start_2", "end_2"}


def test_the_hours_form_shows_the_current_periods(client_for, world):
    html = client_for("admin").get("/calendar/hours/").content.decode()
    assert 'name="start_1" value="08:30"' in html
    assert 'name="end_2" value="17:30"' in html
    assert "Asia/Shanghai" in html


# --- The administrator's home page --------------------------------------------------------------


@time_machine.travel("2026-11-24 10:00 +0800", tick=False)
def test_the_admin_home_page_warns_about_next_year_until_someone_enters_it(client_for, world):
    client = client_for("admin")
    html = client.get("/").content.decode()
    assert 'id="calendar-panel"' in html
    assert "No holiday calendar has been entered yet for:" in html
    assert 'href="/calendar/2027/">2027</a>' in html
    client.post("/calendar/days/new/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    html = client.get("/").content.decode()
    assert "No holiday calendar has been entered yet for:" not in html
    assert "Holiday calendar entered for this year and next" in html


@pytest.mark.parametrize("persona", ["street", "leader", "district", "worker"])
def test_other_roles_see_no_calendar_panel(client_for, world, persona):
    assert 'id="calendar-panel"' not in client_for(persona).get("/").content.decode()


def test_the_calendar_panel_costs_no_query_once_the_calendar_is_built(client_for, world):
    client = client_for("admin")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "worktime" in q["sql"]] == []
