"""Time the overdue-alert sweep over a city's worth of open events.

    DATABASE_URL=postgres://... .venv/bin/python bench/alerts_sweep.py [--events 100000]

Builds the test territory of tests/factories.py in a throwaway database (see below). It
creates ``--events`` open events (and ``--closed`` closed ones, which
the partial index must skip), their stage clocks spread over the last ``--days`` days, then
times

- the catch-up sweep: the first one, which raises every colour that has passed (the platform
  coming back after a long outage), and
- the steady sweep: the one a minute later, which is what beat runs every minute,

each with its query count, and the notifier's first batch. It works in a throwaway database
(``test_<name>``, created and migrated by Django's test machinery, dropped at the end) so that
every step commits and the table is vacuumed and analysed between the catch-up and the steady
sweeps, as autovacuum would do in production.
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

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from events import services  # noqa: E402
from events.catalogue import ensure_catalogue  # noqa: E402
from events.models import Alert, Event, ServiceItem  # noqa: E402
from events.workflow import EventStatus  # noqa: E402
from governance.notifications.services import delivered_inline  # noqa: E402
from tests.factories import build_world  # noqa: E402

SHIFTED = ("reported_at", "grab_deadline", "stage_started_at", "deadline", "blue_at",
           "yellow_at", "orange_at", "red_at", "next_alert_at")  # fmt: skip


def fill(template: Event, count: int, days: int, rng: random.Random, *, closed: bool) -> None:
    """``count`` copies of the template's row, each clock shifted back by a random amount."""
    skip = {"id", "number", *SHIFTED}
    fields = {f.attname: getattr(template, f.attname) for f in Event._meta.concrete_fields
              if f.attname not in skip}  # fmt: skip
    if closed:
        fields |= {"status": EventStatus.CLOSED, "closed_at": template.reported_at}
    prefix = "BC" if closed else "BO"
    batch = []
    for n in range(count):
        back = timedelta(minutes=rng.randint(0, days * 24 * 60))
        shifted = {name: getattr(template, name) - back for name in SHIFTED}
        if closed:
            shifted["next_alert_at"] = None
        batch.append(Event(number=f"{prefix}{n:09d}", **fields, **shifted))
        if len(batch) == 5000:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)


def vacuum() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE events_event")
            cursor.execute("VACUUM ANALYZE events_task")
            cursor.execute("VACUUM ANALYZE events_alert")
        else:
            cursor.execute("ANALYZE")


def explain(moment) -> None:
    """EXPLAIN ANALYZE every statement of one sweep (rolled back), slowest first."""
    with CaptureQueriesContext(connection) as captured:
        services.sweep_alerts(now=moment, enqueue=False)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if not query["sql"].lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE")):
                continue
            cursor.execute("BEGIN")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("ROLLBACK")
            took = float(plan.rsplit("Execution Time: ", 1)[1].split()[0])
            plans.append((took, query["sql"][:300], plan))
    for took, sql, plan in sorted(plans, reverse=True)[:3]:
        print(f"--- {took:.1f} ms: {sql}\n{plan}")


def timed_sweep(moment) -> tuple[float, int, object]:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = services.sweep_alerts(now=moment, enqueue=False)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len(captured), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--closed", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--steady", type=int, default=10, help="steady sweeps to time")
    parser.add_argument("--explain", action="store_true", help="print each steady query's plan")
    args = parser.parse_args()
    rng = random.Random(2026)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with delivered_inline():
            world = build_world()
            ensure_catalogue()
            item = ServiceItem.objects.get(code="E010202")
            now = timezone.now()
            template = services.event_report(
                actor=world.users["worker"], item=item, urgency="normal", description="基准",
                lat=30.62, lng=111.21, now=now,
            )  # fmt: skip
            started = time.perf_counter()
            fill(template, args.events, args.days, rng, closed=False)
            fill(template, args.closed, args.days, rng, closed=True)
            vacuum()
            open_count = Event.objects.exclude(status=EventStatus.CLOSED).count()
            print(f"database: {connection.vendor}")
            print(f"filled {open_count} open and {args.closed} closed events "
                  f"in {time.perf_counter() - started:.1f} s")  # fmt: skip

            ms, queries, result = timed_sweep(now)
            raised = sum(result.raised["event"].values())
            print(f"catch-up sweep: {ms:.0f} ms, {queries} queries, {result.alerts} alert "
                  f"records, {raised} colour changes")  # fmt: skip
            vacuum()

            steady = []
            moment = now
            for _ in range(args.steady):
                moment += timedelta(minutes=1)
                ms, queries, result = timed_sweep(moment)
                steady.append((ms, result.alerts))
            if args.explain:
                explain(moment + timedelta(minutes=1))
            print(f"steady sweep (one minute later, x{args.steady}): "
                  f"{statistics.median(m for m, _ in steady):.1f} ms median, "
                  f"{max(m for m, _ in steady):.1f} ms max, {queries} queries, "
                  f"{statistics.mean(a for _, a in steady):.1f} new alerts per sweep")  # fmt: skip

            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                sent = services.alerts_notify(now=moment, batch=500, max_batches=1)
            ms = (time.perf_counter() - started) * 1000
            print(f"notifier, one batch of 500 alerts: {ms:.0f} ms, {len(captured)} queries, "
                  f"{sent} notifications; {Alert.objects.filter(notified_at__isnull=True).count()}"
                  " alerts left for the next runs")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
