"""Stage clocks as arithmetic: a stage's deadline and its four alert thresholds.

Free of the database (the services in ``events.services.clocks`` feed it rows and settings;
the migration that gave existing events their clocks uses it on historical models).

A stage that starts at ``start`` with a time limit ``limit`` (working hours; elapsed hours for
urgent items counted in calendar hours) is due at ``start + limit`` in that time, and turns

    blue   at start + limit x blue%     (default 50%)
    yellow at start + limit x yellow%   (default 75%)
    orange at start + limit x orange%   (default 100%: due)
    red    at start + limit x red%      (default 150%)

An approved extension keeps the stage's start, makes the approved moment the deadline and
stretches the thresholds over the new length: the stage now lasts ``L' = time(start, due)`` and
each threshold sits at its percentage of ``L'`` (orange at 100% is the approved moment itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from events.choices import AlertLevel

THRESHOLD_FIELDS = ("blue_at", "yellow_at", "orange_at", "red_at")
LEVEL_FIELD = dict(zip((1, 2, 3, 4), THRESHOLD_FIELDS, strict=True))
# The threshold a row waits for next once it has reached a level (None: red is the last).
NEXT_FIELD = {0: "blue_at", 1: "yellow_at", 2: "orange_at", 3: "red_at", 4: None}


@dataclass(frozen=True)
class Percentages:
    """When each colour starts, as a percentage of the stage's time limit."""

    blue: int = 50
    yellow: int = 75
    orange: int = 100
    red: int = 150

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.blue, self.yellow, self.orange, self.red)

    @classmethod
    def from_mapping(cls, values: dict | None, default: Percentages) -> Percentages:
        """An item's override (``{"blue": 50, ...}``) or, when it has none, ``default``."""
        if not values:
            return default
        return cls(*(int(values[name]) for name in ("blue", "yellow", "orange", "red")))


DEFAULT_PERCENTAGES = Percentages()


def percentage_problem(values: tuple[int, ...]) -> tuple[int, str] | None:
    """Why four percentages cannot be thresholds, as (index of the first value at fault, message),
    or None when they can: whole numbers from 1 to 1000, each colour later than the one before."""
    from django.utils.translation import gettext as _

    for index, value in enumerate(values):
        if not isinstance(value, int) or not 1 <= value <= 1000:
            return index, _("Each threshold is a whole percentage from 1 to 1000.")
    for index, (before, after) in enumerate(pairwise(values), start=1):
        if before >= after:
            return index, _("Each colour must come later than the one before: blue < yellow < "
                            "orange < red.")  # fmt: skip
    return None


@dataclass(frozen=True)
class Schedule:
    """A stage's deadline and the moments it turns blue, yellow, orange and red."""

    deadline: datetime
    blue_at: datetime
    yellow_at: datetime
    orange_at: datetime
    red_at: datetime
    calendar_hours: bool = False

    def thresholds(self) -> tuple[datetime, datetime, datetime, datetime]:
        return (self.blue_at, self.yellow_at, self.orange_at, self.red_at)

    def level_at(self, now: datetime) -> int:
        """The colour the stage shows at ``now``."""
        return sum(1 for moment in self.thresholds() if moment <= now)

    def next_alert_after(self, level: int) -> datetime | None:
        """The threshold a row at ``level`` waits for next (None after red)."""
        field = NEXT_FIELD[level]
        return getattr(self, field) if field else None


def _add(calendar, start: datetime, amount: timedelta, elapsed: bool) -> datetime:
    return calendar.add_calendar(start, amount) if elapsed else calendar.add_working(start, amount)


def _between(calendar, a: datetime, b: datetime, elapsed: bool) -> timedelta:
    return calendar.calendar_between(a, b) if elapsed else calendar.working_between(a, b)


def _fraction(amount: timedelta, percent: int) -> timedelta:
    return timedelta(microseconds=amount // timedelta(microseconds=1) * percent // 100)


def schedule(
    calendar, start: datetime, limit: timedelta, percentages: Percentages, *, elapsed: bool
) -> Schedule:
    """The schedule of a stage starting at ``start`` with ``limit`` (working time, or elapsed
    time when ``elapsed``), on a ``WorkingCalendar``."""
    moments = [_add(calendar, start, _fraction(limit, p), elapsed) for p in percentages.as_tuple()]
    deadline = _add(calendar, start, limit, elapsed)
    return Schedule(deadline, *moments, calendar_hours=elapsed)


def stretched(
    calendar, start: datetime, due: datetime, percentages: Percentages, *, elapsed: bool
) -> Schedule:
    """The schedule after an extension to ``due``: same start, thresholds over the new length."""
    length = max(_between(calendar, start, due, elapsed), timedelta(0))
    moments = []
    for percent in percentages.as_tuple():
        moment = (
            due if percent == 100 else _add(calendar, start, _fraction(length, percent), elapsed)
        )
        moments.append(moment)
    # Keep the order even where a due moment outside working hours meets a rounded threshold.
    for i in range(1, 4):
        moments[i] = max(moments[i], moments[i - 1])
    return Schedule(due, *moments, calendar_hours=elapsed)


def time_left(calendar, now: datetime, deadline: datetime | None, *, elapsed: bool):
    """Working (or elapsed) time from ``now`` to ``deadline``; negative once it has passed."""
    if deadline is None:
        return None
    return _between(calendar, now, deadline, elapsed)


__all__ = [
    "DEFAULT_PERCENTAGES",
    "LEVEL_FIELD",
    "NEXT_FIELD",
    "THRESHOLD_FIELDS",
    "AlertLevel",
    "Percentages",
    "Schedule",
    "percentage_problem",
    "schedule",
    "stretched",
    "time_left",
]
