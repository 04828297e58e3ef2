"""Walk an event through the services to any state, as the people of the test world."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connections
from django.utils import timezone

from events import services
from events.choices import Rating, Urgency
from events.models import Event, ServiceItem
from events.workflow import EventStatus
from tests.factories import World

# Points inside the test grids (see tests/factories.py).
IN_GRID_A = (30.62, 111.21)  # lat, lng
IN_GRID_B = (30.62, 111.26)


def report(world: World, item: ServiceItem, *, who="worker", at=IN_GRID_A, now=None, **extra):
    lat, lng = at
    fields = {
        "urgency": Urgency.NORMAL,
        "description": "路口井盖缺失，夜间行人易跌落",
        "address": "四方堰路12号",
    } | extra
    return services.event_report(
        actor=world.users[who] if who else None, item=item, lat=lat, lng=lng, now=now, **fields
    )


def walk(world: World, item: ServiceItem, state: str, *, now=None, **report_kwargs) -> Event:
    """A fresh event of grid A in ``state``, reached the ordinary way (worker reports, street
    grabs, police A handles, worker verifies and rates)."""
    now = now or timezone.now()
    u = world.users
    police = world.units["police_a"]
    if state == EventStatus.PENDING:
        return report(world, item, who=None, source="resident", contact_phone="13812345678",
                      now=now, **report_kwargs)  # fmt: skip
    event = report(world, item, now=now, **report_kwargs)
    if state == EventStatus.REPORTED:
        return event
    services.event_grab(event=event, actor=u["street"], now=now)
    if state == EventStatus.GRABBED:
        return event
    if state == EventStatus.RETURNED:
        return services.event_return(event=event, actor=u["street"], reason="需区级协调", now=now)
    services.event_split(event=event, actor=u["street"], to_unit=police, now=now)
    if state == EventStatus.DISPATCHED:
        return event
    task = event.tasks.get()
    if state == EventStatus.SENT_BACK:
        return services.task_send_back(event=event, task=task, actor=u["dept"],
                                       reason="不属本单位职责", now=now)  # fmt: skip
    services.task_sign(event=event, task=task, actor=u["dept"], now=now)
    if state == EventStatus.IN_PROGRESS:
        return event
    services.task_complete(event=event, task=task, actor=u["dept"], result="已修复", now=now)
    if state == EventStatus.HANDLED:
        return event
    services.event_verify(event=event, actor=u["worker"], passed=True, note="现场已修复", now=now)
    if state == EventStatus.VERIFIED:
        return event
    if state == "verified_rated":
        return services.event_rate(event=event, actor=u["worker"], rating=Rating.SATISFIED,
                                   now=now)  # fmt: skip
    if state == EventStatus.CLOSED:
        services.event_rate(event=event, actor=u["worker"], rating=Rating.SATISFIED, now=now)
        return services.event_close(event=event, actor=u["street"], now=now)
    if state == EventStatus.REJECTED:
        raise AssertionError("reach REJECTED from REPORTED with event_reject")
    raise AssertionError(f"unknown state {state}")


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


# --- Moments (Asia/Shanghai) for the deadline and alert tests -----------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# Monday 23 November 2026, 09:00: an ordinary working week (no holiday, no make-up day).
MONDAY_9 = at(2026, 11, 23, 9)


def fresh(row):
    row.refresh_from_db()
    return row


# --- Concurrency --------------------------------------------------------------------------------


def run_together(*jobs):
    """Run each job in its own thread (and connection), released at once; return outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", job())
        except Exception as exc:
            outcomes[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
