"""Two sweeps at once (two beats by mistake, a command beside the beat) and two notifiers at
once on PostgreSQL: each colour is recorded once and each person told once. Each thread has
its own database connection; a barrier releases them together."""

import pytest
from django.db import connection, transaction

from events import services
from events.catalogue import ensure_catalogue
from events.choices import AlertLevel
from events.models import Alert, ServiceCategory, Task
from events.services import alerts
from events.services.alerts import ALERT_VERBS
from events.workflow import EventStatus
from governance.notifications.models import Notification
from tests.events.helpers import MONDAY_9, at, run_together, walk
from tests.factories import build_world

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent transactions are what is tested; SQLite runs one writer at a time",
)

RED_MOMENT = at(2026, 11, 23, 17)


@pytest.fixture
def late_tasks(transactional_db):
    """Five events with a task each, all past red by Monday 17:00 (committed)."""
    world = build_world()
    ensure_catalogue()
    item = services.service_item_create(
        actor=world.users["admin"], code="T0102", category=ServiceCategory.objects.get(code="0102"),
        name="并发预警事项", responsible_kind="department", department_type="police",
        closing_level="street",
    )  # fmt: skip
    events = [walk(world, item, EventStatus.DISPATCHED, now=MONDAY_9) for _ in range(5)]
    return world, events


def test_two_sweeps_at_once_record_each_colour_once(late_tasks):
    _world, events = late_tasks

    outcomes = run_together(
        lambda: services.sweep_alerts(now=RED_MOMENT, enqueue=False).alerts,
        lambda: services.sweep_alerts(now=RED_MOMENT, enqueue=False).alerts,
    )

    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    assert sorted(o[1] for o in outcomes) == [0, 20]  # one did the work, the other found none
    for task in Task.objects.filter(event__in=events):
        assert task.alert_level == AlertLevel.RED
        levels = list(Alert.objects.filter(task=task).values_list("level", flat=True))
        assert sorted(levels) == [1, 2, 3, 4]


def test_racing_inserts_meet_the_unique_constraint_not_each_other(late_tasks):
    """Below the advisory lock: the INSERT ... ON CONFLICT DO NOTHING itself, from two
    transactions at once, writes each record once and neither fails."""
    _world, _events = late_tasks

    def insert_blue():
        with transaction.atomic():
            written = alerts._insert_alerts(Task, AlertLevel.BLUE, RED_MOMENT)
            alerts._raise(Task, AlertLevel.BLUE, RED_MOMENT)
            return written

    outcomes = run_together(insert_blue, insert_blue, insert_blue)

    assert [o[0] for o in outcomes] == ["ok"] * 3, outcomes
    assert sum(o[1] for o in outcomes) == 5
    assert Alert.objects.filter(level=AlertLevel.BLUE).count() == 5


def test_two_notifiers_at_once_tell_each_person_once_per_alert(late_tasks):
    world, _events = late_tasks
    services.sweep_alerts(now=RED_MOMENT, enqueue=False)

    outcomes = run_together(
        lambda: services.alerts_notify(now=RED_MOMENT, batch=3),
        lambda: services.alerts_notify(now=RED_MOMENT, batch=3),
    )

    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    assert not Alert.objects.filter(notified_at__isnull=True).exists()
    u = world.users
    for who, alert_level in [("dept", 1), ("dept", 2), ("street", 3), ("leader", 4),
                             ("district", 4)]:  # fmt: skip
        got = Notification.objects.filter(recipient=u[who], verb=ALERT_VERBS[alert_level])
        assert got.count() == 5, (who, alert_level)  # one per event, never two
    assert (
        sum(o[1] for o in outcomes)
        == Notification.objects.filter(verb__in=ALERT_VERBS.values()).count()
    )
