"""The fast calendar agrees with a brute-force reference that counts minute by minute.

The reference knows only the definition: a minute is working when its day is a make-up workday,
or a Monday-Friday that is not a holiday, and the minute lies inside a working period. It walks
the minutes one by one. The calendar under test jumps with binary searches; hypothesis draws
random intervals over a small calendar with holidays and make-up days across a year boundary,
given in random time zones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.worktime.engine import WorkDuration, WorkingCalendar
from tests.worktime.conftest import SHANGHAI, package_entries

# A small calendar across the 2026/2027 boundary: weekday holidays, a holiday on a Saturday
# (no effect), weekend make-up days, and a "make-up" Wednesday (no effect).
CUSTOM_DAYS = {
    date(2026, 12, 25): "holiday",  # Friday
    date(2026, 12, 27): "workday",  # Sunday
    date(2026, 12, 31): "holiday",  # Thursday
    date(2027, 1, 1): "holiday",  # Friday
    date(2027, 1, 2): "holiday",  # Saturday
    date(2027, 1, 4): "holiday",  # Monday
    date(2027, 1, 6): "workday",  # Wednesday
    date(2027, 1, 9): "workday",  # Saturday
}
PERIOD_SETS = {
    "default hours": [(time(8, 30), time(12)), (time(14), time(17, 30))],
    "three periods, two touching": [
        (time(7, 45), time(9, 10)),
        (time(9, 10), time(11, 55)),
        (time(13, 20), time(18, 5)),
    ],
}
WINDOW_START = datetime(2026, 12, 14)  # naive, Shanghai wall-clock time
WINDOW_MINUTES = 35 * 24 * 60
ZONES = [UTC, SHANGHAI, ZoneInfo("America/New_York"), timezone(timedelta(hours=-3, minutes=-30))]


class MinuteReference:
    """Working time the slow, obvious way: one minute after another."""

    def __init__(self, days: dict[date, str], periods: list[tuple[time, time]]):
        self.flags = []
        for n in range(WINDOW_MINUTES):
            moment = WINDOW_START + timedelta(minutes=n)
            kind = days.get(moment.date())
            working_day = kind == "workday" if kind else moment.weekday() < 5
            in_period = any(start <= moment.time() < end for start, end in periods)
            self.flags.append(working_day and in_period)

    def between(self, a: int, b: int) -> int:
        """Working minutes from minute ``a`` to minute ``b`` of the window."""
        low, high = sorted((a, b))
        count = sum(1 for n in range(low, high) if self.flags[n])
        return count if b >= a else -count

    def add(self, start: int, minutes: int) -> int | None:
        """The minute at which ``minutes`` working minutes after ``start`` are done."""
        if minutes == 0:
            return start
        done = 0
        for n in range(start, WINDOW_MINUTES):
            if self.flags[n]:
                done += 1
                if done == minutes:
                    return n + 1
        return None  # past the window


REFERENCES = {name: MinuteReference(CUSTOM_DAYS, periods) for name, periods in PERIOD_SETS.items()}
CALENDARS = {
    name: WorkingCalendar(days=CUSTOM_DAYS, periods=periods, zone=SHANGHAI)
    for name, periods in PERIOD_SETS.items()
}
PACKAGE_ENTRIES = package_entries()
PACKAGE_CALENDAR = WorkingCalendar(days=PACKAGE_ENTRIES, zone=SHANGHAI)


def moment(minute: int, zone) -> datetime:
    """Minute ``minute`` of the window, expressed in ``zone``."""
    return (WINDOW_START + timedelta(minutes=minute)).replace(tzinfo=SHANGHAI).astimezone(zone)


minutes = st.integers(min_value=0, max_value=WINDOW_MINUTES - 1)
zones = st.sampled_from(ZONES)


@pytest.mark.parametrize("hours", list(PERIOD_SETS))
@settings(max_examples=300, deadline=None)
@given(a=minutes, b=minutes, zone_a=zones, zone_b=zones)
def test_working_time_between_two_moments_matches_the_minute_count(hours, a, b, zone_a, zone_b):
    calendar, reference = CALENDARS[hours], REFERENCES[hours]
    measured = calendar.working_between(moment(a, zone_a), moment(b, zone_b))
    assert measured == timedelta(minutes=reference.between(a, b))


@pytest.mark.parametrize("hours", list(PERIOD_SETS))
@settings(max_examples=300, deadline=None)
@given(start=minutes, amount=st.integers(min_value=0, max_value=12_000), zone=zones)
def test_adding_working_minutes_matches_walking_minute_by_minute(hours, start, amount, zone):
    calendar, reference = CALENDARS[hours], REFERENCES[hours]
    expected = reference.add(start, amount)
    if expected is None:
        return  # the reference window is too short for this one
    result = calendar.add_working(moment(start, zone), timedelta(minutes=amount))
    assert result == moment(expected, SHANGHAI)
    assert result.tzinfo == SHANGHAI
    if amount:
        assert calendar.working_between(moment(start, zone), result) == timedelta(minutes=amount)


@settings(max_examples=200, deadline=None)
@given(
    start_day=st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 12, 31)),
    days=st.integers(min_value=1, max_value=800),
)
def test_adding_working_days_over_the_package_years_matches_counting_day_by_day(start_day, days):
    """Whole working days from the start of a day, against a walk over the days."""
    calendar, entries = PACKAGE_CALENDAR, PACKAGE_ENTRIES

    def working(day: date) -> bool:
        kind = entries.get(day)
        return kind == "workday" if kind else day.weekday() < 5

    day, left = start_day, days
    while True:
        if working(day):
            left -= 1
            if left == 0:
                break
        day += timedelta(days=1)
    start = datetime.combine(start_day, time(), tzinfo=SHANGHAI)
    assert calendar.add_working(start, WorkDuration(days=days)) == datetime.combine(
        day, time(17, 30), tzinfo=SHANGHAI
    )
