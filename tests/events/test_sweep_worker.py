"""The colours rise through the real beat task on the real broker: the schedule's entry is sent
as Celery beat sends it, a Celery worker (Redis in CI) runs the sweep at each threshold moment
(time-machine moves the clock of the whole process, worker included), and the notifier it
queues after commit tells the people."""

import time
from datetime import datetime, timedelta

import pytest
import time_machine
from celery.beat import ScheduleEntry, Scheduler
from django.conf import settings

from events import services
from events.catalogue import ensure_catalogue
from events.choices import AlertLevel
from events.models import Alert, Event, ServiceCategory
from events.services.alerts import ALERT_VERBS
from governance.celery import app
from governance.notifications.models import Notification
from tests.events.helpers import MONDAY_9, at, report
from tests.factories import build_world

pytestmark = pytest.mark.celery

THRESHOLDS = {
    AlertLevel.BLUE: at(2026, 11, 23, 11),
    AlertLevel.YELLOW: at(2026, 11, 23, 12),
    AlertLevel.ORANGE: at(2026, 11, 23, 15),
    AlertLevel.RED: at(2026, 11, 23, 17),
}


def beat_sends(name: str):
    """Send the schedule's entry ``name`` the way Celery beat does when it is due."""
    conf = settings.CELERY_BEAT_SCHEDULE[name]
    entry = ScheduleEntry(
        name=name,
        task=conf["task"],
        schedule=conf["schedule"],
        options=conf.get("options", {}),
        app=app,
    )
    return Scheduler(app, lazy=True).apply_async(entry, advance=False)


def wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_the_beat_task_raises_each_colour_at_its_moment_on_the_real_worker(celery_worker):
    world = build_world()
    ensure_catalogue()
    item = services.service_item_create(
        actor=world.users["admin"], code="T0101", category=ServiceCategory.objects.get(code="0102"),
        name="预警测试事项", responsible_kind="department", department_type="police",
        closing_level="street",
    )  # fmt: skip
    event = report(world, item, now=MONDAY_9)  # committed: the worker sees it
    services.event_grab(event=event, actor=world.users["street"], now=MONDAY_9)

    def level() -> int:
        return Event.objects.values_list("alert_level", flat=True).get(pk=event.pk)

    for alert_level, moment in THRESHOLDS.items():
        with time_machine.travel(moment - timedelta(seconds=30), tick=True):
            swept = beat_sends("events-alerts-sweep").get(timeout=20)
            assert level() == alert_level - 1, f"half a minute before {alert_level.label}"
            assert swept["alerts"] == 0
        with time_machine.travel(moment, tick=True):
            swept = beat_sends("events-alerts-sweep").get(timeout=20)
            assert level() == alert_level, f"at {alert_level.label}"
            assert swept["alerts"] == 1
            assert abs(datetime.fromisoformat(swept["now"]) - moment) < timedelta(seconds=5)

    assert sorted(Alert.objects.filter(event=event).values_list("level", flat=True)) == [1, 2, 3, 4]
    # The notifier the sweep queued after commit ran on the worker too.
    assert wait_for(lambda: not Alert.objects.filter(notified_at__isnull=True).exists())
    street, leader = world.users["street"], world.users["leader"]
    assert Notification.objects.filter(recipient=street, verb=ALERT_VERBS[1]).count() == 1
    assert Notification.objects.filter(recipient=street, verb=ALERT_VERBS[3]).count() == 1
    assert Notification.objects.filter(recipient=leader, verb=ALERT_VERBS[4]).count() == 1
