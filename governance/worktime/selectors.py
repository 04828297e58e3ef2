"""Reads for the calendar pages and the administrators' home panel."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from governance.worktime.calendar import working_calendar, years_to_enter
from governance.worktime.choices import DayKind
from governance.worktime.holidays import package_version, package_years
from governance.worktime.models import CalendarYear, DayOverride

# The years the calendar page shows (the services accept the same range).
FIRST_YEAR, LAST_YEAR = 1970, 2199


@dataclass(frozen=True)
class DayCell:
    """One square of the year grid."""

    day: date
    in_month: bool
    working: bool
    weekend: bool
    today: bool
    override: DayOverride | None = None

    @property
    def kind(self) -> str:
        return self.override.kind if self.override else ""


@dataclass
class MonthGrid:
    first: date  # the month's first day (for its title)
    weeks: list[list[DayCell]] = field(default_factory=list)


@dataclass
class YearView:
    """A year of the calendar as the page shows it."""

    year: int
    months: list[MonthGrid]
    overrides: list[DayOverride]
    working_days: int
    holidays_on_weekdays: int
    makeup_days: int
    loaded: CalendarYear | None
    package_covers: bool

    @property
    def entered(self) -> bool:
        """A year with no entry at all falls back to plain Monday-Friday."""
        return bool(self.overrides)


def year_view(year: int, *, today: date) -> YearView:
    """The twelve month grids of ``year`` with its holidays and make-up days (two queries)."""
    overrides = list(DayOverride.objects.filter(date__year=year).order_by("date"))
    by_date = {o.date: o for o in overrides}

    def working(day: date) -> bool:
        entry = by_date.get(day)
        if entry is None:
            return day.weekday() < 5
        return entry.kind == DayKind.WORKDAY

    months = []
    layout = stdlib_calendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        grid = MonthGrid(first=date(year, month, 1))
        for week in layout.monthdatescalendar(year, month):
            grid.weeks.append(
                [
                    DayCell(
                        day=day,
                        in_month=day.month == month,
                        working=working(day),
                        weekend=day.weekday() >= 5,
                        today=day == today,
                        override=by_date.get(day) if day.month == month else None,
                    )
                    for day in week
                ]
            )
        months.append(grid)
    days = [date(year, 1, 1) + timedelta(days=n) for n in range(366 if _leap(year) else 365)]
    return YearView(
        year=year,
        months=months,
        overrides=overrides,
        working_days=sum(1 for day in days if working(day)),
        holidays_on_weekdays=sum(
            1 for o in overrides if o.kind == DayKind.HOLIDAY and o.date.weekday() < 5
        ),
        makeup_days=sum(1 for o in overrides if o.kind == DayKind.WORKDAY),
        loaded=CalendarYear.objects.filter(year=year).first(),
        package_covers=year in package_years(),
    )


def _leap(year: int) -> bool:
    return stdlib_calendar.isleap(year)


@dataclass(frozen=True)
class CalendarStatus:
    """What administrators should know about the calendar at a glance."""

    years_to_enter: list[int]
    periods: tuple[tuple[time, time], ...]
    day_length: timedelta
    package_version: str
    package_first: int
    package_last: int

    @property
    def day_hours(self) -> float:
        return self.day_length / timedelta(hours=1)


def calendar_status(*, today: date) -> CalendarStatus:
    """Years needing entry, working hours and package coverage (no query when cached)."""
    calendar = working_calendar()
    covered = package_years()
    return CalendarStatus(
        years_to_enter=years_to_enter(today),
        periods=calendar.periods,
        day_length=calendar.day_length,
        package_version=package_version(),
        package_first=covered[0],
        package_last=covered[-1],
    )
