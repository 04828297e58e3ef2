"""Working-time arithmetic, free of the database and of any cache.

A ``WorkingCalendar`` is built from the dated entries (statutory holidays and make-up workdays)
and the working periods of a day. It answers "which moment is N working hours after this one"
and "how much working time lies between these two moments" with a couple of binary searches
and a little arithmetic, whatever the distance: there is no loop over days.

How it works
    1. Days are counted from Monday 0001-01-01 (day 0), so the weekday of day ``x`` is
       ``x % 7`` and the number of Mondays-Fridays before day ``x`` is
       ``5 * (x // 7) + min(x % 7, 5)``.
    2. Only entries that change something are kept as *exceptions*: a holiday on a weekday
       (-1 working day) and a make-up workday on a weekend (+1). A holiday on a Saturday
       (part of a holiday period) or a "make-up" Tuesday changes nothing.
    3. The working days before day ``x`` are the weekdays before it plus the sum of the
       exceptions before it (a prefix sum, found by bisecting the sorted exception days).
    4. A moment's *position* is the working time from the origin to it: the working days
       before its day times the day length, plus the working time already done that day.
    5. The reverse (a position to a moment) finds the working day by bisecting a monotone
       key over the exceptions, then inverts the weekday count arithmetically.
    ``add_working`` is position, plus the amount, back to a moment; ``working_between`` is a
    difference of positions. Both are O(log n) in the number of entries.

Rules at the edges (tested in ``tests/worktime``):
    - A start outside working hours counts from the next working moment: 12:30 counts from
      14:00, Friday 18:00 from Monday 08:30.
    - A result that lands exactly at the end of a period stays there: 4 working hours from
      08:30 is 12:00 the same day, not 14:00, and 7 hours from 08:30 is 17:30, not the next
      morning. Adding nothing returns the start itself.
    - Times are wall-clock times in the calendar's zone (Asia/Shanghai by default: no
      daylight saving). Inputs may be in any zone; results are in the calendar's zone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from governance.worktime.choices import DayKind

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR
ONE_US = timedelta(microseconds=1)

# The default working periods of a street office (08:30-12:00 and 14:00-17:30).
DEFAULT_PERIODS: tuple[tuple[time, time], ...] = (
    (time(8, 30), time(12, 0)),
    (time(14, 0), time(17, 30)),
)


# --- Durations --------------------------------------------------------------------------------


def _decimal(value) -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(_("%(value)r is not a number.") % {"value": value}) from None
    if not number.is_finite() or number < 0:
        raise ValueError(_("A duration cannot be negative."))
    return number


@dataclass(frozen=True)
class WorkDuration:
    """An amount of working time: days of the configured working-day length, plus hours and
    minutes. A day is resolved only when the duration is used, so "3d" keeps meaning three
    working days after an administrator changes the working hours."""

    days: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    minutes: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for name in ("days", "hours", "minutes"):
            object.__setattr__(self, name, _decimal(getattr(self, name)))

    def microseconds(self, day_us: int) -> int:
        """The length in microseconds when a day lasts ``day_us`` microseconds."""
        total = self.days * day_us + self.hours * US_PER_HOUR + self.minutes * US_PER_MINUTE
        return int(total.to_integral_value(rounding=ROUND_HALF_UP))

    def resolve(self, day_length: timedelta) -> timedelta:
        """The duration as a ``timedelta``, a day being ``day_length`` long."""
        return timedelta(microseconds=self.microseconds(day_length // ONE_US))

    def __str__(self) -> str:
        parts = [
            f"{_plain(value)}{unit}"
            for value, unit in ((self.days, "d"), (self.hours, "h"), (self.minutes, "m"))
            if value
        ]
        return "".join(parts) or "0m"


def _plain(number: Decimal) -> str:
    """``Decimal("1.50")`` as ``"1.5"``, ``Decimal("3")`` as ``"3"`` (never exponent form)."""
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_UNITS = {
    "d": "days", "天": "days", "日": "days",
    "h": "hours", "小时": "hours", "时": "hours",
    "m": "minutes", "min": "minutes", "分钟": "minutes", "分": "minutes",
}  # fmt: skip
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(min|分钟|小时|[dhm天日时分])", re.IGNORECASE)
# Longest accepted amount: one hundred years of days, or the equivalent in hours or minutes.
_MAX = {"days": Decimal(36_500), "hours": Decimal(876_000), "minutes": Decimal(52_560_000)}


def parse_duration(text: str) -> WorkDuration:
    """``"3d"``, ``"4h"``, ``"90m"``, ``"1.5d"``, ``"1d 4h"`` (also ``3天``, ``4小时``).

    ``d`` is a working day of the configured length (7 hours by default), ``h`` an hour,
    ``m`` a minute. Raises ``ValueError`` with a message for the user on anything else.
    """
    source = (text or "").strip()
    if not source:
        raise ValueError(_("Enter a duration such as 3d, 4h or 90m."))
    values: dict[str, Decimal] = {}
    position = 0
    for match in _PART.finditer(source):
        if source[position : match.start()].strip():
            break
        name = _UNITS[match.group(2).lower()]
        if name in values:
            raise ValueError(
                _("%(text)s names the same unit twice.") % {"text": source},
            )
        values[name] = Decimal(match.group(1))
        position = match.end()
    if not values or source[position:].strip():
        raise ValueError(
            _(
                "%(text)s is not a duration. Write a number and a unit: d (working days), "
                "h (hours) or m (minutes), e.g. 3d, 4h, 90m or 1d 4h."
            )
            % {"text": source}
        )
    for name, value in values.items():
        if value > _MAX[name]:
            raise ValueError(_("%(text)s is longer than a hundred years.") % {"text": source})
    return WorkDuration(**values)


def format_duration(amount: timedelta, day_length: timedelta) -> str:
    """Working time as hours and working days: ``"21h = 3d"``, ``"2.5h = 0.36d"``."""
    sign = "-" if amount < timedelta(0) else ""
    amount = abs(amount)
    hours = Decimal(amount // ONE_US) / US_PER_HOUR
    days = Decimal(amount // ONE_US) / Decimal(day_length // ONE_US)
    return (
        f"{sign}{_plain(hours.quantize(Decimal('0.01')))}h = "
        f"{sign}{_plain(days.quantize(Decimal('0.01')))}d"
    )


Amount = WorkDuration | timedelta


# --- Periods ----------------------------------------------------------------------------------


def _us_of(moment: time) -> int:
    return (
        (moment.hour * 60 + moment.minute) * 60 + moment.second
    ) * US_PER_SECOND + moment.microsecond


def period_problems(periods: Sequence[tuple[time, time]]) -> list[tuple[int, str, str]]:
    """What is wrong with a list of working periods, as (1-based index, "start"/"end", message).

    Periods must be given in the order of the day, each ending after it starts, none starting
    before the previous one ends (touching is allowed), and there must be at least one.
    """
    problems: list[tuple[int, str, str]] = []
    if not periods:
        return [(1, "start", _("Enter at least one working period."))]
    previous_end: time | None = None
    for number, (start, end) in enumerate(periods, start=1):
        if end <= start:
            problems.append((number, "end", _("A period must end after it starts.")))
        elif previous_end is not None and start < previous_end:
            problems.append(
                (
                    number,
                    "start",
                    _(
                        "This period starts before the previous one ends (%(end)s): list the "
                        "periods in the order of the day, without overlaps."
                    )
                    % {"end": previous_end.strftime("%H:%M")},
                )
            )
        previous_end = end if previous_end is None else max(end, previous_end)
    return problems


# --- The calendar -----------------------------------------------------------------------------


def _weekdays_before(x: int) -> int:
    """Mondays-Fridays among days ``0 .. x - 1`` (day 0 is Monday 0001-01-01)."""
    weeks, rest = divmod(x, 7)
    return 5 * weeks + min(rest, 5)


def _weekday_number(m: int) -> int:
    """The day of the weekday with index ``m`` (the inverse of ``_weekdays_before``)."""
    weeks, rest = divmod(m, 5)
    return 7 * weeks + rest


class WorkingCalendar:
    """Working days (Monday-Friday, minus holidays, plus make-up workdays) and working hours."""

    def __init__(
        self,
        *,
        days: Mapping[date, str],
        periods: Sequence[tuple[time, time]] = DEFAULT_PERIODS,
        zone: tzinfo,
    ) -> None:
        problems = period_problems(periods)
        if problems:
            raise ValueError("; ".join(message for _n, _f, message in problems))
        self.zone = zone
        self.periods = tuple(periods)
        self._starts = [_us_of(start) for start, _end in periods]
        self._ends = [_us_of(end) for _start, end in periods]
        self._done_before: list[int] = []  # working time of the day before each period
        self._done_after: list[int] = []  # ... at each period's end
        done = 0
        for start, end in zip(self._starts, self._ends, strict=True):
            self._done_before.append(done)
            done += end - start
            self._done_after.append(done)
        self.day_us = done
        self.days = dict(days)
        self.entered_years = frozenset(day.year for day in days)

        # Exceptions to the weekday rule, sorted: their days and the running sum of changes.
        self._exceptions: list[int] = []
        self._is_makeup: list[bool] = []
        for day, kind in sorted(days.items()):
            x = day.toordinal() - 1
            weekday = x % 7 < 5
            if (kind == DayKind.HOLIDAY and weekday) or (kind == DayKind.WORKDAY and not weekday):
                self._exceptions.append(x)
                self._is_makeup.append(kind == DayKind.WORKDAY)
        self._shift = [0]  # _shift[j]: change in working days from the first j exceptions
        for makeup in self._is_makeup:
            self._shift.append(self._shift[-1] + (1 if makeup else -1))
        # _keys[j] <= k exactly when exception j lies before the working day with index k.
        self._keys = [
            _weekdays_before(x) + self._shift[j] + (1 if makeup else 0)
            for j, (x, makeup) in enumerate(zip(self._exceptions, self._is_makeup, strict=True))
        ]

    # --- days ---

    @property
    def day_length(self) -> timedelta:
        return timedelta(microseconds=self.day_us)

    def _working(self, x: int) -> bool:
        j = bisect.bisect_left(self._exceptions, x)
        if j < len(self._exceptions) and self._exceptions[j] == x:
            return self._is_makeup[j]
        return x % 7 < 5

    def _working_days_before(self, x: int) -> int:
        return _weekdays_before(x) + self._shift[bisect.bisect_left(self._exceptions, x)]

    def _working_day(self, k: int) -> int:
        """The day of the working day with index ``k`` (``k`` working days come before it)."""
        j = bisect.bisect_right(self._keys, k)
        if j < len(self._exceptions) and self._is_makeup[j] and self._keys[j] == k + 1:
            return self._exceptions[j]
        return _weekday_number(k - self._shift[j])

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (a make-up Saturday is; a holiday Monday is not)."""
        return self._working(day.toordinal() - 1)

    # --- moments ---

    def _local(self, moment: datetime) -> tuple[int, int]:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(_("A moment must carry its time zone (an aware datetime)."))
        local = moment.astimezone(self.zone)
        of_day = (
            (local.hour * 60 + local.minute) * 60 + local.second
        ) * US_PER_SECOND + local.microsecond
        return local.toordinal() - 1, of_day

    def _done_in_day(self, of_day: int) -> int:
        """Working time of a working day done by ``of_day`` microseconds after midnight."""
        i = bisect.bisect_right(self._starts, of_day) - 1
        if i < 0:
            return 0
        return self._done_before[i] + min(of_day, self._ends[i]) - self._starts[i]

    def position(self, moment: datetime) -> int:
        """Working microseconds from the origin to ``moment``."""
        x, of_day = self._local(moment)
        done = self._done_in_day(of_day) if self._working(x) else 0
        return self._working_days_before(x) * self.day_us + done

    def moment(self, position: int) -> datetime:
        """The first moment at ``position``, except that a period's end stays at that end."""
        k, rest = divmod(position, self.day_us)
        if rest == 0 and k > 0:
            k, rest = k - 1, self.day_us
        i = bisect.bisect_left(self._done_after, rest)
        of_day = self._starts[i] + rest - self._done_before[i]
        x = self._working_day(k)
        try:
            midnight = datetime.combine(date.fromordinal(x + 1), time(), tzinfo=self.zone)
        except (ValueError, OverflowError):
            raise ValueError(_("The result lies beyond the year 9999.")) from None
        return midnight + timedelta(microseconds=of_day)

    def is_working_moment(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside a working period of a working day."""
        x, of_day = self._local(moment)
        i = bisect.bisect_right(self._starts, of_day) - 1
        return self._working(x) and i >= 0 and of_day < self._ends[i]

    def _amount_us(self, amount: Amount, day_us: int) -> int:
        if isinstance(amount, WorkDuration):
            return amount.microseconds(day_us)
        if isinstance(amount, timedelta):
            if amount < timedelta(0):
                raise ValueError(_("A duration cannot be negative."))
            return amount // ONE_US
        raise TypeError(f"expected a WorkDuration or a timedelta, not {type(amount).__name__}")

    def add_working(self, start: datetime, amount: Amount) -> datetime:
        """The moment when ``amount`` of working time has passed after ``start``."""
        us = self._amount_us(amount, self.day_us)
        if us == 0:
            self._local(start)  # refuses a naive datetime
            return start.astimezone(self.zone)
        return self.moment(self.position(start) + us)

    def working_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from ``a`` to ``b`` (negative when ``b`` comes first)."""
        return timedelta(microseconds=self.position(b) - self.position(a))

    def add_calendar(self, start: datetime, amount: Amount) -> datetime:
        """``start`` plus elapsed (wall-clock) time; a day is 24 hours here."""
        us = self._amount_us(amount, US_PER_DAY)
        self._local(start)
        try:
            return (start.astimezone(UTC) + timedelta(microseconds=us)).astimezone(self.zone)
        except OverflowError:
            raise ValueError(_("The result lies beyond the year 9999.")) from None

    def calendar_between(self, a: datetime, b: datetime) -> timedelta:
        """Elapsed time from ``a`` to ``b``, nights and holidays included."""
        self._local(a)
        self._local(b)
        return b.astimezone(UTC) - a.astimezone(UTC)
