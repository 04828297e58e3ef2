"""The public API reads the calendar in the database, and sees every change at the right time."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import transaction

from governance.worktime import calendar as api
from governance.worktime.calendar import (
    VERSION_KEY,
    add_calendar,
    add_time,
    add_working,
    calendar_between,
    is_working_day,
    is_working_moment,
    parse_duration,
    time_between,
    validate_duration,
    working_between,
    working_calendar,
    working_day_length,
    years_to_enter,
)
from governance.worktime.choices import DayKind, DaySource
from governance.worktime.holidays import package_days
from governance.worktime.models import CalendarYear, DayOverride
from governance.worktime.services import day_override_create, working_hours_set
from tests.worktime.conftest import SHANGHAI, at

H = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """No calendar object survives from another test (the cache is emptied per test too)."""
    api._state["calendar"] = None
    api._writer.transaction = None


def test_every_year_the_package_covers_is_in_the_database_after_migrate(db):
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))
    national_day = DayOverride.objects.get(date=date(2026, 10, 1))
    assert (national_day.kind, national_day.name, national_day.source) == (
        DayKind.HOLIDAY,
        "国庆节",
        DaySource.PACKAGE,
    )
    assert DayOverride.objects.get(date=date(2026, 10, 10)).kind == DayKind.WORKDAY


def test_the_public_functions_use_the_calendar_in_the_database(db):
    assert add_working(at(2026, 9, 30, 15), parse_duration("3d")) == at(2026, 10, 10, 15)
    assert working_between(at(2026, 9, 30, 15), at(2026, 10, 10, 15)) == 21 * H
    assert is_working_day(date(2026, 10, 10))
    assert not is_working_day(date(2026, 10, 1))
    assert is_working_moment(at(2026, 10, 10, 9))
    assert working_day_length() == 7 * H
    assert add_calendar(at(2026, 9, 30, 15), 24 * H) == at(2026, 10, 1, 15)
    assert calendar_between(at(2026, 9, 30, 15), at(2026, 10, 1, 15)) == 24 * H


def test_one_call_serves_items_counted_in_working_or_in_calendar_hours(db):
    start = at(2026, 9, 30, 15)
    assert add_time(start, 4 * H) == at(2026, 10, 8, 10)
    assert add_time(start, 4 * H, calendar=True) == at(2026, 9, 30, 19)
    assert time_between(start, at(2026, 10, 8, 10)) == 4 * H
    assert time_between(start, at(2026, 9, 30, 19), calendar=True) == 4 * H


def test_a_year_nobody_entered_falls_back_to_monday_to_friday(db):
    assert is_working_day(date(2027, 1, 1))  # a Friday, New Year's Day once someone enters it
    assert not is_working_day(date(2027, 1, 2))


def test_the_years_to_enter_are_the_current_and_next_year_without_any_entry(db):
    assert years_to_enter(date(2026, 11, 24)) == [2027]
    assert years_to_enter(date(2027, 3, 1)) == [2027, 2028]
    assert years_to_enter(date(2025, 3, 1)) == []
    day_override_create(actor=None, date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    assert years_to_enter(date(2027, 3, 1)) == [2028]


def test_the_calendar_is_built_once_and_then_costs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(2):
        working_calendar()
    with django_assert_num_queries(0):
        for _ in range(10):
            add_working(at(2026, 9, 30, 15), 3 * 7 * H)


def test_an_entry_counts_at_once_in_the_transaction_that_makes_it(db):
    assert is_working_day(date(2027, 1, 4))
    day_override_create(actor=None, date=date(2027, 1, 4), kind=DayKind.HOLIDAY, name="测试假日")
    assert not is_working_day(date(2027, 1, 4))
    assert working_between(at(2027, 1, 1, 8, 30), at(2027, 1, 5, 8, 30)) == 7 * H


def test_other_processes_are_told_to_rebuild_when_the_change_commits(
    db, django_capture_on_commit_callbacks
):
    working_calendar()
    before = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        day_override_create(actor=None, date=date(2027, 1, 4), kind=DayKind.HOLIDAY, name="假日")
    assert cache.get(VERSION_KEY) == before  # nothing announced before the commit
    for callback in callbacks:
        callback()
    assert cache.get(VERSION_KEY) != before


def test_new_working_hours_change_the_length_of_a_working_day(db):
    assert add_working(at(2026, 11, 24, 8, 30), parse_duration("1d")) == at(2026, 11, 24, 17, 30)
    working_hours_set(actor=None, periods=[(time(9), time(12)), (time(13), time(18))])
    assert working_day_length() == 8 * H
    assert add_working(at(2026, 11, 24, 9), parse_duration("1d")) == at(2026, 11, 24, 18)


def test_a_duration_field_can_be_validated_with_a_message_for_the_user():
    validate_duration("3d")
    with pytest.raises(Exception, match="not a duration"):
        validate_duration("three days")


def test_the_time_zone_setting_decides_the_zone_of_results(db, settings):
    assert add_working(at(2026, 11, 24, 8, 30), 1 * H).tzinfo == SHANGHAI
    settings.TIME_ZONE = "Asia/Urumqi"
    result = add_working(at(2026, 11, 24, 8, 30), 1 * H)  # 06:30 in Urumqi: counts from 08:30
    assert result.utcoffset() == 6 * H
    assert (result.hour, result.minute) == (9, 30)


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_reaches_the_shared_calendar_and_a_rolled_back_one_does_not():
    working_calendar()
    monday = date(2027, 1, 4)
    seen_inside = None
    try:
        with transaction.atomic():
            day_override_create(actor=None, date=monday, kind=DayKind.HOLIDAY, name="回滚的假日")
            seen_inside = is_working_day(monday)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert seen_inside is False  # its own transaction saw the holiday
    assert is_working_day(monday)
    assert not DayOverride.objects.filter(date=monday).exists()

    day_override_create(actor=None, date=monday, kind=DayKind.HOLIDAY, name="提交的假日")
    assert not is_working_day(monday)
    # Another process holds the old calendar until it sees the new version token.
    assert api._state["key"][0] == cache.get(VERSION_KEY)


def test_an_administrator_s_deletion_survives_the_next_migrate(db):
    DayOverride.objects.filter(date=date(2026, 10, 1)).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not DayOverride.objects.filter(date=date(2026, 10, 1)).exists()


def test_a_covered_year_that_was_never_loaded_is_loaded_by_the_next_migrate(db):
    DayOverride.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    loaded = DayOverride.objects.filter(date__year=2025, source=DaySource.PACKAGE)
    assert set(loaded.values_list("date", flat=True)) == set(package_days(2025))
    assert CalendarYear.objects.filter(year=2025).exists()
