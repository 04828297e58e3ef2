"""Shared pieces of the working-time tests: the zone, a moment helper, calendars."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from governance.worktime.engine import WorkingCalendar
from governance.worktime.holidays import package_days, package_years

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Shanghai time."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def package_entries() -> dict[date, str]:
    return {day: kind for year in package_years() for day, (kind, _n) in package_days(year).items()}


@pytest.fixture(scope="session")
def package_calendar() -> WorkingCalendar:
    """The chinese-calendar package's years with the default working hours."""
    return WorkingCalendar(days=package_entries(), zone=SHANGHAI)
