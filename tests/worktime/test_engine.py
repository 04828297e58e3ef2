"""The working-time arithmetic, on calendars built in memory (no database)."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from governance.worktime.engine import (
    WorkDuration,
    WorkingCalendar,
    format_duration,
    parse_duration,
    period_problems,
)
from tests.worktime.conftest import SHANGHAI, at

H = timedelta(hours=1)
M = timedelta(minutes=1)


# --- The cases the issue names ------------------------------------------------------------------


def test_three_working_days_from_30_september_2026_at_15_00_land_on_saturday_10_october(
    package_calendar,
):
    result = package_calendar.add_working(at(2026, 9, 30, 15), parse_duration("3d"))
    assert result == at(2026, 10, 10, 15)
    assert result.weekday() == 5  # a Saturday: the make-up workday after the National Day
    assert package_calendar.working_between(at(2026, 9, 30, 15), result) == 21 * H


def test_a_make_up_saturday_counts_as_a_workday(package_calendar):
    assert package_calendar.is_working_day(date(2026, 10, 10))
    assert package_calendar.is_working_moment(at(2026, 10, 10, 10))
    # Friday evening to Monday morning holds the whole make-up Saturday.
    assert package_calendar.working_between(at(2026, 10, 9, 17, 30), at(2026, 10, 12, 8, 30)) == (
        7 * H
    )
    # An ordinary Saturday does not count.
    assert not package_calendar.is_working_day(date(2026, 10, 17))
    assert package_calendar.working_between(at(2026, 10, 16, 17, 30), at(2026, 10, 19, 8, 30)) == (
        timedelta(0)
    )


def test_working_time_across_the_lunch_break(package_calendar):
    assert package_calendar.working_between(at(2026, 11, 24, 11), at(2026, 11, 24, 15)) == 2 * H
    assert package_calendar.add_working(at(2026, 11, 24, 11), 90 * M) == at(2026, 11, 24, 14, 30)
    assert package_calendar.working_between(at(2026, 11, 24, 12), at(2026, 11, 24, 14)) == (
        timedelta(0)
    )


def test_working_time_across_new_year(package_calendar):
    # 31 Dec 2025 (Wed) 16:00 -> 1-3 Jan 2026 off -> Sunday 4 Jan a make-up workday -> Monday.
    start, end = at(2025, 12, 31, 16), at(2026, 1, 5, 9)
    assert package_calendar.working_between(start, end) == 1.5 * H + 7 * H + 0.5 * H
    assert package_calendar.add_working(start, 2 * H) == at(2026, 1, 4, 9)


def test_a_long_span_across_many_years_matches_counting_the_days(package_calendar):
    start, end = date(2004, 1, 1), date(2027, 1, 1)
    days = (end - start).days
    working = sum(package_calendar.is_working_day(start + timedelta(days=n)) for n in range(days))
    assert package_calendar.working_between(at(2004, 1, 1), at(2027, 1, 1)) == working * 7 * H
    assert package_calendar.add_working(at(2004, 1, 1), WorkDuration(days=working)) == at(
        2026, 12, 31, 17, 30
    )


# --- Rules at the edges -------------------------------------------------------------------------


def test_a_start_in_the_lunch_break_counts_from_14_00(package_calendar):
    assert package_calendar.add_working(at(2026, 11, 24, 12, 30), 1 * H) == at(2026, 11, 24, 15)


def test_a_start_after_hours_on_friday_counts_from_monday_morning(package_calendar):
    assert package_calendar.add_working(at(2026, 11, 27, 18), 30 * M) == at(2026, 11, 30, 9)
    assert package_calendar.add_working(at(2026, 11, 28, 3), 30 * M) == at(2026, 11, 30, 9)


def test_a_result_that_lands_at_the_end_of_a_period_stays_there(package_calendar):
    assert package_calendar.add_working(at(2026, 11, 24, 8, 30), 3.5 * H) == at(2026, 11, 24, 12)
    assert package_calendar.add_working(at(2026, 11, 24, 8, 30), 7 * H) == at(2026, 11, 24, 17, 30)
    # Friday 8:30 + one working day is Friday 17:30, not Monday 8:30.
    assert package_calendar.add_working(at(2026, 11, 27, 8, 30), parse_duration("1d")) == at(
        2026, 11, 27, 17, 30
    )


def test_adding_nothing_returns_the_start_even_outside_working_hours(package_calendar):
    assert package_calendar.add_working(at(2026, 11, 24, 12, 30), timedelta(0)) == at(
        2026, 11, 24, 12, 30
    )


def test_a_moment_is_working_inside_a_period_of_a_working_day_only(package_calendar):
    assert package_calendar.is_working_moment(at(2026, 11, 24, 8, 30))
    assert package_calendar.is_working_moment(at(2026, 11, 24, 11, 59))
    assert not package_calendar.is_working_moment(at(2026, 11, 24, 12))
    assert not package_calendar.is_working_moment(at(2026, 11, 24, 17, 30))
    assert not package_calendar.is_working_moment(at(2026, 11, 24, 8, 29))
    assert not package_calendar.is_working_moment(at(2026, 10, 1, 10))  # National Day


def test_the_time_left_is_negative_once_the_deadline_has_passed(package_calendar):
    assert package_calendar.working_between(at(2026, 11, 24, 15), at(2026, 11, 24, 10)) == -3 * H


def test_moments_may_be_given_in_utc_and_results_come_in_shanghai_time(package_calendar):
    start = at(2026, 9, 30, 15).astimezone(UTC)
    assert start.hour == 7
    result = package_calendar.add_working(start, parse_duration("3d"))
    assert result == at(2026, 10, 10, 15)
    assert result.tzinfo == SHANGHAI
    assert result.utcoffset() == 8 * H
    # 16:30 UTC on 23 November is 00:30 on the 24th in Shanghai: the working day starts at 8:30.
    late_utc = at(2026, 11, 24, 0, 30).astimezone(UTC)
    assert package_calendar.add_working(late_utc, 1 * H) == at(2026, 11, 24, 9, 30)
    assert package_calendar.working_between(late_utc, at(2026, 11, 24, 9, 30)) == 1 * H


def test_a_zone_with_daylight_saving_is_converted_on_the_way_in(package_calendar):
    new_york = ZoneInfo("America/New_York")
    start = at(2026, 11, 24, 9).astimezone(new_york)
    assert package_calendar.add_working(start, 1 * H) == at(2026, 11, 24, 10)


def test_a_moment_without_a_time_zone_is_refused(package_calendar):
    with pytest.raises(ValueError, match="time zone"):
        package_calendar.add_working(at(2026, 11, 24, 9).replace(tzinfo=None), 1 * H)
    with pytest.raises(ValueError, match="time zone"):
        package_calendar.working_between(at(2026, 11, 24, 9).replace(tzinfo=None), at(2026, 1, 1))


def test_a_negative_duration_is_refused(package_calendar):
    with pytest.raises(ValueError, match="negative"):
        package_calendar.add_working(at(2026, 11, 24, 9), -1 * H)
    with pytest.raises(ValueError, match="negative"):
        WorkDuration(hours=-1)


def test_a_result_past_the_year_9999_is_refused_with_a_message(package_calendar):
    with pytest.raises(ValueError, match="9999"):
        package_calendar.add_working(at(9999, 12, 20, 9), WorkDuration(days=30))


def test_a_holiday_on_a_weekend_and_a_make_up_weekday_change_nothing():
    plain = WorkingCalendar(days={}, zone=SHANGHAI)
    odd = WorkingCalendar(
        days={date(2030, 6, 1): "holiday", date(2030, 6, 4): "workday"}, zone=SHANGHAI
    )
    start, end = at(2030, 5, 27), at(2030, 6, 10)
    assert odd.working_between(start, end) == plain.working_between(start, end) == 10 * 7 * H


def test_a_year_with_no_entries_is_plain_monday_to_friday(package_calendar):
    # 1 January 2027 is a Friday; the package knows nothing of 2027.
    assert package_calendar.is_working_day(date(2027, 1, 1))
    assert 2027 not in package_calendar.entered_years
    assert package_calendar.working_between(at(2027, 1, 1), at(2028, 1, 1)) == 261 * 7 * H


# --- Calendar (elapsed) time for urgent items ----------------------------------------------------


def test_calendar_time_counts_nights_weekends_and_holidays(package_calendar):
    start = at(2026, 9, 30, 15)
    assert package_calendar.add_calendar(start, 4 * H) == at(2026, 9, 30, 19)
    assert package_calendar.add_calendar(start, parse_duration("1d")) == at(2026, 10, 1, 15)
    assert package_calendar.calendar_between(start, at(2026, 10, 10, 15)) == 10 * 24 * H
    assert package_calendar.add_calendar(start.astimezone(UTC), 1 * H).tzinfo == SHANGHAI


# --- Working hours --------------------------------------------------------------------------------


def test_a_working_day_lasts_as_long_as_the_configured_periods():
    calendar = WorkingCalendar(
        days={}, periods=[(time(9), time(12)), (time(13), time(18))], zone=SHANGHAI
    )
    assert calendar.day_length == 8 * H
    assert calendar.add_working(at(2030, 6, 3, 9), parse_duration("1d")) == at(2030, 6, 3, 18)
    assert calendar.add_working(at(2030, 6, 3, 9), parse_duration("1.5d")) == at(2030, 6, 4, 14)


def test_overlapping_unordered_or_empty_periods_are_refused():
    assert period_problems([]) == [(1, "start", "Enter at least one working period.")]
    assert [p[:2] for p in period_problems([(time(9), time(8))])] == [(1, "end")]
    assert [p[:2] for p in period_problems([(time(8), time(12)), (time(11), time(17))])] == [
        (2, "start")
    ]
    assert [p[:2] for p in period_problems([(time(14), time(17)), (time(8), time(12))])] == [
        (2, "start")
    ]
    assert period_problems([(time(8), time(12)), (time(12), time(17))]) == []
    with pytest.raises(ValueError, match="end after it starts"):
        WorkingCalendar(days={}, periods=[(time(9), time(8))], zone=SHANGHAI)


# --- Durations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", WorkDuration(days=3)),
        ("4h", WorkDuration(hours=4)),
        ("90m", WorkDuration(minutes=90)),
        ("1.5d", WorkDuration(days="1.5")),
        ("1d 4h", WorkDuration(days=1, hours=4)),
        ("1D4H30M", WorkDuration(days=1, hours=4, minutes=30)),
        (" 3天 ", WorkDuration(days=3)),
        ("4小时", WorkDuration(hours=4)),
        ("30分钟", WorkDuration(minutes=30)),
        ("0h", WorkDuration()),
    ],
)
def test_durations_are_written_as_a_number_and_a_unit(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "3", "d", "3x", "-1h", "3 days", "1h 2h", "h3", "1d,4h"])
def test_a_malformed_duration_is_refused_with_a_message(text):
    with pytest.raises(ValueError, match=r"duration|unit|number"):
        parse_duration(text)


def test_an_absurdly_long_duration_is_refused():
    with pytest.raises(ValueError, match="hundred years"):
        parse_duration("99999d")


def test_a_duration_prints_as_it_is_written():
    assert [str(parse_duration(t)) for t in ("3d", "1.50d", "1d 4h", "90m", "0h")] == [
        "3d",
        "1.5d",
        "1d4h",
        "90m",
        "0m",
    ]


def test_a_working_day_is_resolved_with_the_day_length_of_the_moment():
    three_days = parse_duration("3d")
    assert three_days.resolve(7 * H) == 21 * H
    assert three_days.resolve(8 * H) == 24 * H


def test_working_time_prints_in_hours_and_working_days():
    assert format_duration(21 * H, 7 * H) == "21h = 3d"
    assert format_duration(150 * M, 7 * H) == "2.5h = 0.36d"
    assert format_duration(-21 * H, 7 * H) == "-21h = -3d"
    assert format_duration(timedelta(0), 7 * H) == "0h = 0d"


def test_an_input_with_a_fixed_offset_works_like_any_zone(package_calendar):
    minus_five = timezone(timedelta(hours=-5))
    start = at(2026, 11, 24, 9).astimezone(minus_five)
    assert package_calendar.add_working(start, 2 * H) == at(2026, 11, 24, 11)
