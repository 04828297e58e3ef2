"""Time the event pipeline: a whole loop through the services, and the reads that must stay
cheap when a street has tens of thousands of events (duplicate search, consoles).

    DATABASE_URL=postgres://... .venv/bin/python bench/events_pipeline.py [--events 20000]

Needs a migrated database without the demo district (it builds the test territory of
tests/factories.py). Everything happens in one transaction that is rolled back at the end.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from events import selectors, services  # noqa: E402
from events.catalogue import ensure_catalogue  # noqa: E402
from events.choices import Rating  # noqa: E402
from events.models import Event, ServiceItem  # noqa: E402
from events.workflow import EventStatus  # noqa: E402
from governance.notifications.services import delivered_inline  # noqa: E402
from tests.factories import build_world  # noqa: E402


class Rollback(Exception):
    pass


def timed(fn, repeat: int) -> tuple[float, int]:
    """Median milliseconds of ``repeat`` calls, and the queries of one call."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        fn()
    return statistics.median(times), len(captured)


def loop(world, item, now):
    u, police = world.users, world.units["police_a"]
    event = services.event_report(
        actor=u["worker"], item=item, urgency="normal", description="基准测试", lat=30.62,
        lng=111.21, now=now,
    )  # fmt: skip
    services.event_grab(event=event, actor=u["street"], now=now)
    services.event_split(event=event, actor=u["street"], to_unit=police, now=now)
    task = event.tasks.get()
    services.task_sign(event=event, task=task, actor=u["dept"], now=now)
    services.task_complete(event=event, task=task, actor=u["dept"], result="已处理", now=now)
    services.event_verify(event=event, actor=u["worker"], passed=True, now=now)
    services.event_rate(event=event, actor=u["worker"], rating=Rating.SATISFIED, now=now)
    services.event_close(event=event, actor=u["street"], now=now)


def fill(world, item, count: int, rng: random.Random) -> None:
    """Insert ``count`` open events of grid A and A2 with bulk inserts of prepared rows."""
    now = timezone.now()
    grids = [world.grid_a, world.grid_a2]
    version = item.current
    rows = []
    for n in range(count):
        grid = grids[n % 2]
        west = 111.20 if grid == world.grid_a else 111.22
        reported = now - timedelta(minutes=rng.randint(0, 60 * 24 * 90))
        rows.append(Event(
            number=f"BM{n:08d}", item_version=version, urgency=rng.choice(
                ["normal", "normal", "important", "urgent"]), source="grid_patrol",
            description="基准", lat=rng.uniform(30.60, 30.64), lng=rng.uniform(west, west + 0.02),
            grid=grid, status=rng.choice([EventStatus.REPORTED, EventStatus.IN_PROGRESS,
                                          EventStatus.VERIFIED, EventStatus.CLOSED]),
            reported_at=reported, grab_deadline=reported + timedelta(minutes=30),
            stage_started_at=reported,
        ))  # fmt: skip
    Event.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_event" if connection.vendor == "postgresql" else
                       "ANALYZE")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--loops", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(2026)
    try:
        with transaction.atomic(), delivered_inline():
            world = build_world()
            ensure_catalogue()
            item = ServiceItem.objects.get(code="E010202")
            now = timezone.now()
            started = time.perf_counter()
            for _ in range(args.loops):
                loop(world, item, now)
            per_loop = (time.perf_counter() - started) * 1000 / args.loops
            with CaptureQueriesContext(connection) as captured:
                loop(world, item, now)
            print(f"database: {connection.vendor}")
            print(f"whole loop (report → close, 8 services): {per_loop:.1f} ms, "
                  f"{len(captured)} queries")  # fmt: skip

            fill(world, item, args.events, rng)
            print(f"filled {args.events} events in street A")
            street = world.users["street"]
            points = [(rng.uniform(30.60, 30.64), rng.uniform(111.20, 111.24)) for _ in range(50)]

            def nearby():
                lat, lng = rng.choice(points)
                services.nearby_open_events(item=item, lat=lat, lng=lng)

            def console():
                tabs = selectors.street_console_tabs(street)
                list(selectors.console_rows(tabs[-1].queryset)[:50])

            def inbox():
                for tab in selectors.inbox_tabs(world.users["dept"]):
                    list(tab.queryset[:50])

            for name, fn in (("duplicate search (100 m)", nearby),
                             ("street console (8 tab counts + a page of 50)", console),
                             ("department inbox (4 tabs)", inbox)):  # fmt: skip
                ms, queries = timed(fn, 20)
                print(f"{name}: {ms:.1f} ms median, {queries} queries")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
