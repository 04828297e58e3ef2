"""Working time: the public API that deadlines, alerts and pages call.

Working days are Monday-Friday, except statutory holidays, plus make-up workdays (调休) that
fall on a weekend, as kept by administrators on the calendar page (pre-filled from the
chinese-calendar package). Working hours are configurable (default 08:30-12:00 and
14:00-17:30); a working day "d" is their total (7 hours by default). Everything is in the
TIME_ZONE setting's zone (Asia/Shanghai): inputs must be aware datetimes in any zone, results
are aware datetimes in that zone.

The API (import from ``governance.worktime.calendar``)::

    add_working(start: datetime, amount: WorkDuration | timedelta) -> datetime
        The moment when ``amount`` of working time has passed after ``start``.
        add_working(datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI), parse_duration("3d"))
        == datetime(2026, 10, 10, 15, 0, tzinfo=SHANGHAI)   # a make-up Saturday
    working_between(a: datetime, b: datetime) -> timedelta
        Working time from a to b; negative when b is before a (e.g. time left past a deadline).
    add_calendar(start, amount) -> datetime / calendar_between(a, b) -> timedelta
        The same in elapsed (wall-clock) time, for urgent items counted in calendar hours;
        a "d" is 24 hours there.
    add_time(start, amount, *, calendar: bool = False) -> datetime
    time_between(a, b, *, calendar: bool = False) -> timedelta
        One call for both, for a service item's per-item "calendar hours" flag.
    is_working_moment(moment: datetime) -> bool      # inside a working period of a working day
    is_working_day(day: date) -> bool
    working_day_length() -> timedelta                # 7 hours by default
    parse_duration("3d" | "4h" | "90m" | "1.5d" | "1d 4h") -> WorkDuration   (ValueError if bad)
    validate_duration(text)                          # a form/model validator (ValidationError)
    WorkDuration(days=3) / WorkDuration(hours=4) / WorkDuration(minutes=90)
    working_calendar() -> WorkingCalendar            # hold one for many calls (see below)
    years_to_enter(today=None) -> list[int]          # current/next year with no entry at all
    describe(amount: timedelta) -> str               # "21h = 3d", for messages and commands

A naive datetime, a negative amount or a result past the year 9999 raises ``ValueError`` with
a message for the user.

Rules at the edges: a start outside working hours counts from the next working moment
(12:30 counts from 14:00); a result landing exactly at the end of a period stays there
(08:30 + 3.5h is 12:00, not 14:00); adding nothing returns the start. A year nobody entered
(no holiday or make-up day in it) is plain Monday-Friday; ``years_to_enter()`` names the
current and next year when they are in that state, and the admins' pages warn about them.

Cost: each call reads one version token from the cache (the ``grids.spatial`` pattern) and
then does two or three binary searches; ``working_calendar()`` returns the calendar object
for code that makes many calls in a row (a list of events). The calendar is rebuilt (two
queries) in each process after the services change the days or the hours.
"""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from governance.worktime.engine import (
    DEFAULT_PERIODS,
    Amount,
    WorkDuration,
    WorkingCalendar,
    format_duration,
    parse_duration,
)

__all__ = [
    "WorkDuration",
    "WorkingCalendar",
    "add_calendar",
    "add_time",
    "add_working",
    "calendar_between",
    "describe",
    "format_duration",
    "is_working_day",
    "is_working_moment",
    "parse_duration",
    "time_between",
    "validate_duration",
    "working_between",
    "working_calendar",
    "working_day_length",
    "years_to_enter",
]

VERSION_KEY = "worktime:calendar-version"

_lock = threading.Lock()
_state: dict[str, object] = {"key": None, "calendar": None}
_writer = threading.local()  # the transaction in which this thread changed the calendar


def working_periods() -> list[tuple[time, time]]:
    """The configured working periods (the defaults when none were saved)."""
    from governance.worktime.models import WorkingHours

    row = WorkingHours.objects.filter(pk=1).first()
    if row is None:
        return list(DEFAULT_PERIODS)
    return [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in row.periods]


def _load() -> WorkingCalendar:
    from governance.worktime.models import DayOverride

    days = dict(DayOverride.objects.values_list("date", "kind"))
    return WorkingCalendar(
        days=days, periods=working_periods(), zone=timezone.get_default_timezone()
    )


def _inside_own_write() -> bool:
    """Whether this thread changed the calendar in the transaction that is still open.

    Such a transaction sees rows no other process sees yet, and may still roll back: it gets
    a calendar of its own, never the shared one.
    """
    marker = getattr(_writer, "transaction", None)
    if marker is None:
        return False
    if (
        connection.in_atomic_block
        and connection.atomic_blocks
        and connection.atomic_blocks[0] is marker
    ):
        return True
    _writer.transaction = None
    return False


def working_calendar() -> WorkingCalendar:
    """The current calendar, rebuilt when another process (or this one) changed it."""
    if _inside_own_write():
        return _load()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    key = (version, settings.TIME_ZONE)
    with _lock:
        if _state["calendar"] is None or _state["key"] != key:
            _state["calendar"] = _load()
            _state["key"] = key
        return _state["calendar"]  # type: ignore[return-value]


def announce_change() -> None:
    """Tell every process to rebuild its calendar (a new version token in the shared cache)."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # e.g. during a migrate that runs before Redis is up
        with _lock:
            _state["calendar"] = None


def invalidate_working_calendar() -> None:
    """Called by the services inside the transaction that changes days or hours."""
    if connection.in_atomic_block and connection.atomic_blocks:
        _writer.transaction = connection.atomic_blocks[0]
    transaction.on_commit(announce_change)


# --- The API -----------------------------------------------------------------------------------


def add_working(start: datetime, amount: Amount) -> datetime:
    """The moment when ``amount`` of working time has passed after ``start``."""
    return working_calendar().add_working(start, amount)


def working_between(a: datetime, b: datetime) -> timedelta:
    """Working time from ``a`` to ``b`` (negative when ``b`` comes first)."""
    return working_calendar().working_between(a, b)


def add_calendar(start: datetime, amount: Amount) -> datetime:
    """``start`` plus elapsed time (a "d" is 24 hours), in the calendar's zone."""
    return working_calendar().add_calendar(start, amount)


def calendar_between(a: datetime, b: datetime) -> timedelta:
    """Elapsed time from ``a`` to ``b``."""
    return working_calendar().calendar_between(a, b)


def add_time(start: datetime, amount: Amount, *, calendar: bool = False) -> datetime:
    """``add_calendar`` when ``calendar`` (an item counted in calendar hours), else
    ``add_working``."""
    cal = working_calendar()
    return cal.add_calendar(start, amount) if calendar else cal.add_working(start, amount)


def time_between(a: datetime, b: datetime, *, calendar: bool = False) -> timedelta:
    """``calendar_between`` when ``calendar``, else ``working_between``."""
    cal = working_calendar()
    return cal.calendar_between(a, b) if calendar else cal.working_between(a, b)


def is_working_moment(moment: datetime) -> bool:
    """Whether ``moment`` falls inside a working period of a working day."""
    return working_calendar().is_working_moment(moment)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day."""
    return working_calendar().is_working_day(day)


def working_day_length() -> timedelta:
    """The length of a working day "d" (the total of the working periods)."""
    return working_calendar().day_length


def validate_duration(value: str) -> None:
    """A validator for fields holding a duration such as ``"3d"`` (see ``parse_duration``)."""
    try:
        parse_duration(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid_duration") from None


def years_to_enter(today: date | None = None) -> list[int]:
    """The current and next year, where no holiday or make-up day has been entered for them.

    Such a year falls back to plain Monday-Friday; administrators are warned until someone
    enters its calendar.
    """
    today = today or timezone.localdate()
    entered = working_calendar().entered_years
    return [year for year in (today.year, today.year + 1) if year not in entered]


def describe(amount: timedelta) -> str:
    """Working time as ``"21h = 3d"`` (hours, and working days of the configured length)."""
    return format_duration(amount, working_day_length())
