"""Time the working-time calendar: add_working and working_between on random moments.

    .venv/bin/python bench/worktime_calendar.py [--calls 100000] [--seed 2026]

Uses the database's calendar (the chinese-calendar years, loaded by ``migrate``) and the
configured cache, so run it with the environment of the deployment to measure (PostgreSQL and
Redis, or the zero-setup SQLite and file cache). Moments are drawn at random over 2004-2027, in
UTC, with durations up to 60 working days. Three figures per operation:

- "module API": ``add_working(...)`` as a caller writes it; each call reads the calendar's
  version token from the shared cache (a Redis round trip where Redis is configured);
- "held calendar": ``cal = working_calendar()`` once, then ``cal.add_working(...)``, the way
  a list of events should use it;
- "naive day loop": the same answers by walking day by day, for comparison (fewer calls).
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from governance.worktime import calendar as api  # noqa: E402
from governance.worktime.calendar import add_working, working_between, working_calendar  # noqa: E402

FIRST = datetime(2004, 1, 1, tzinfo=UTC)
SPAN_MINUTES = int((datetime(2028, 1, 1, tzinfo=UTC) - FIRST).total_seconds() // 60)


def moments(rng: random.Random, count: int) -> list[datetime]:
    return [FIRST + timedelta(minutes=rng.randrange(SPAN_MINUTES)) for _ in range(count)]


def timed(label: str, calls: int, function) -> float:
    started = time.perf_counter()
    function()
    elapsed = time.perf_counter() - started
    print(f"  {label:<44} {elapsed:7.3f} s  {elapsed / calls * 1e6:8.2f} µs/call")
    return elapsed


def naive_add(cal, start: datetime, amount: timedelta) -> datetime:
    """Day by day: what an implementation without the arithmetic would do."""
    left = amount
    day = start.astimezone(cal.zone)
    while True:
        midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
        tomorrow = midnight + timedelta(days=1)
        in_day = cal.working_between(day, tomorrow)
        if in_day >= left:
            return cal.add_working(day, left)
        left -= in_day
        day = tomorrow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    starts, ends = moments(rng, args.calls), moments(rng, args.calls)
    amounts = [timedelta(minutes=rng.randrange(60 * 7 * 60)) for _ in range(args.calls)]

    cal = working_calendar()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"{args.calls:,} calls per figure; database {engine}, cache {cache}; "
        f"{len(cal.days)} calendar entries over {len(cal.entered_years)} years"
    )
    pairs = list(zip(starts, amounts, strict=True))
    spans = list(zip(starts, ends, strict=True))
    timed("add_working, module API", args.calls, lambda: [add_working(s, a) for s, a in pairs])
    timed(
        "add_working, held calendar", args.calls, lambda: [cal.add_working(s, a) for s, a in pairs]
    )
    timed(
        "working_between, module API", args.calls, lambda: [working_between(a, b) for a, b in spans]
    )
    timed(
        "working_between, held calendar",
        args.calls,
        lambda: [cal.working_between(a, b) for a, b in spans],
    )
    few = min(args.calls, 2_000)
    timed(
        f"add_working, naive day loop ({few:,} calls)",
        few,
        lambda: [naive_add(cal, s, a) for s, a in pairs[:few]],
    )
    mismatches = sum(naive_add(cal, s, a) != cal.add_working(s, a) for s, a in pairs[:200])
    print(f"  naive and fast answers differ on {mismatches} of 200 checked calls")
    api._state["calendar"] = None
    started = time.perf_counter()
    working_calendar()
    print(
        f"  rebuilding the calendar (2 queries)              {time.perf_counter() - started:.4f} s"
    )


if __name__ == "__main__":
    main()
