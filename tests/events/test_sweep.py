"""The sweep raises the colours at their thresholds, records each colour once, and the
notifier tells each person once: the handler at blue, the unit head at yellow, the dispatch
centre at orange, the area's leaders and the supervision desk at red."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.choices import AlertLevel, ClockStage
from events.models import Alert, Event, Task
from events.services.alerts import ALERT_VERBS
from events.workflow import EventStatus
from governance.accounts.roles import Role
from governance.accounts.services import role_assign, user_create
from governance.notifications.models import Notification
from tests.events.helpers import MONDAY_9, at, fresh, report, walk
from tests.factories import PASSWORD

B, Y, R = AlertLevel.BLUE, AlertLevel.YELLOW, AlertLevel.RED
# A report at Monday 09:00 (normal urgency, 4 working hours to dispatch) turns
DISPATCH_THRESHOLDS = {
    AlertLevel.BLUE: at(2026, 11, 23, 11),
    AlertLevel.YELLOW: at(2026, 11, 23, 12),
    AlertLevel.ORANGE: at(2026, 11, 23, 15),
    AlertLevel.RED: at(2026, 11, 23, 17),
}
SECOND = timedelta(seconds=1)


def level(row) -> int:
    return fresh(row).alert_level


def alerts_of(row):
    field = "task" if isinstance(row, Task) else "event"
    rows = Alert.objects.filter(**{field: row})
    if field == "event":
        rows = rows.filter(task__isnull=True)
    return sorted(rows.values_list("level", flat=True))


def told(user, alert_level) -> int:
    return Notification.objects.filter(recipient=user, verb=ALERT_VERBS[alert_level]).count()


# --- The colours rise at the thresholds --------------------------------------------------------


def test_an_event_turns_blue_yellow_orange_and_red_exactly_at_its_thresholds(world, police_item):
    event = report(world, police_item, now=MONDAY_9)

    for alert_level, moment in DISPATCH_THRESHOLDS.items():
        services.sweep_alerts(now=moment - SECOND)
        assert level(event) == alert_level - 1, f"before {alert_level.label}"
        services.sweep_alerts(now=moment)
        assert level(event) == alert_level, f"at {alert_level.label}"

    assert alerts_of(event) == [1, 2, 3, 4]
    assert fresh(event).next_alert_at is None


def test_an_event_late_through_several_colours_gets_each_colour_once_in_one_sweep(
    world, police_item
):
    event = report(world, police_item, now=MONDAY_9)

    result = services.sweep_alerts(now=at(2026, 11, 24, 9))  # the platform was down a day

    assert level(event) == AlertLevel.RED
    assert alerts_of(event) == [1, 2, 3, 4]
    assert result.alerts == 4
    assert result.raised["event"] == {1: 1, 2: 1, 3: 1, 4: 1}


def test_a_task_climbs_on_its_own_clock_and_the_event_mirrors_it_without_its_own_records(
    world, police_item
):
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    task = event.tasks.get()

    services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.ORANGE])

    assert level(task) == AlertLevel.ORANGE
    assert level(event) == AlertLevel.ORANGE
    assert alerts_of(task) == [1, 2, 3]
    # The event's own dispatch stage ended at 09:00, before any colour: no record of its own.
    assert alerts_of(event) == []


def test_raising_is_monotonic_and_a_new_stage_resets_the_colour(world, police_item):
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    task = event.tasks.get()
    services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.RED])
    assert level(task) == AlertLevel.RED

    services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE])  # an earlier moment
    assert level(task) == AlertLevel.RED

    services.task_sign(event=event, task=task, actor=world.users["dept"], now=at(2026, 11, 23, 17))
    task, event = fresh(task), fresh(event)
    assert task.stage == ClockStage.HANDLE
    assert task.alert_level == AlertLevel.NONE
    assert event.alert_level == AlertLevel.NONE
    services.sweep_alerts(now=at(2026, 11, 24, 9))
    assert level(task) == AlertLevel.NONE  # handling has five working days


def test_a_new_round_of_the_same_stage_alerts_again(world, police_item):
    event = report(world, police_item, now=MONDAY_9)
    services.event_grab(event=event, actor=world.users["street"], now=MONDAY_9)
    services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.RED])
    services.event_return(event=event, actor=world.users["street"], reason="需区级协调",
                          now=DISPATCH_THRESHOLDS[AlertLevel.RED])  # fmt: skip

    services.sweep_alerts(now=at(2026, 11, 25, 9))

    assert alerts_of(event) == [1, 1, 2, 2, 3, 3, 4, 4]  # the street's round, the district's
    assert set(Alert.objects.filter(event=event).values_list("stage_seq", flat=True)) == {1, 2}


# --- Idempotence -------------------------------------------------------------------------------


def test_sweeping_twice_records_and_notifies_each_colour_once(world, police_item):
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    moment = DISPATCH_THRESHOLDS[AlertLevel.RED]

    first = services.sweep_alerts(now=moment)
    services.alerts_notify(now=moment)
    second = services.sweep_alerts(now=moment)
    services.alerts_notify(now=moment)
    call_command("sweep_alerts", at=moment.isoformat(), stdout=io.StringIO())

    task = event.tasks.get()
    assert first.alerts == 4
    assert second.alerts == 0
    assert alerts_of(task) == [1, 2, 3, 4]
    for alert_level in AlertLevel:
        if alert_level:
            assert Alert.objects.filter(task=task, level=alert_level).count() == 1
    assert told(world.users["dept"], AlertLevel.BLUE) == 1
    assert told(world.users["street"], AlertLevel.ORANGE) == 1
    assert told(world.users["leader"], AlertLevel.RED) == 1


def test_the_unique_constraint_holds_even_when_a_colour_was_lost_and_raised_again(
    world, police_item
):
    """What a racing second sweep would meet: the rows are there, the insert skips them."""
    event = report(world, police_item, now=MONDAY_9)
    moment = DISPATCH_THRESHOLDS[AlertLevel.RED]
    services.sweep_alerts(now=moment)
    Event.objects.filter(pk=event.pk).update(alert_level=0, next_alert_at=fresh(event).blue_at)

    again = services.sweep_alerts(now=moment)

    assert again.alerts == 0
    assert again.raised["event"] == {1: 1, 2: 1, 3: 1, 4: 1}
    assert alerts_of(event) == [1, 2, 3, 4]


def test_a_claimed_alert_is_never_notified_again(world, police_item):
    walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE])

    assert services.alerts_notify(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE]) == 1
    assert services.alerts_notify(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE]) == 0
    assert not Alert.objects.filter(notified_at__isnull=True).exists()
    assert Alert.objects.get().recipient_count == 1


def test_a_failed_notifier_leaves_its_alerts_for_the_next_run(world, police_item, monkeypatch):
    from governance.notifications import channels

    walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE])

    def crash(self, messages):
        raise ConnectionError("the database went away while writing")

    with monkeypatch.context() as patch:
        patch.setattr(channels.InProductChannel, "send", crash)
        with pytest.raises(ConnectionError):
            services.alerts_notify(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE])
    assert Alert.objects.filter(notified_at__isnull=True).count() == 1
    assert told(world.users["dept"], AlertLevel.BLUE) == 0

    assert services.alerts_notify(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE]) == 1
    assert told(world.users["dept"], AlertLevel.BLUE) == 1


# --- Who hears about each colour ---------------------------------------------------------------


@pytest.fixture
def police_head(world):
    head = user_create(actor=world.users["admin"], username="head", password=PASSWORD,
                       full_name="钱所长")  # fmt: skip
    role_assign(actor=world.users["admin"], user=head, role=Role.DEPARTMENT_HANDLER,
                unit=world.units["police_a"])  # fmt: skip
    services.unit_head_add(actor=world.users["admin"], unit=world.units["police_a"], user=head)
    return head


def test_each_colour_reaches_one_step_higher_and_each_person_once(world, police_item, police_head):
    u = world.users
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)

    for moment in DISPATCH_THRESHOLDS.values():
        services.sweep_alerts(now=moment)
        services.alerts_notify(now=moment)

    # Blue: the task's handlers (the head works in the unit too).
    assert (told(u["dept"], B), told(police_head, B)) == (1, 1)
    # Yellow: the unit head only.
    assert (told(u["dept"], Y), told(police_head, Y)) == (0, 1)
    # Orange: the street's dispatch centre, which holds the event.
    assert told(u["street"], AlertLevel.ORANGE) == 1
    assert told(u["district"], AlertLevel.ORANGE) == 0
    # Red: the district's leader and the supervision desk (the district centre).
    assert (told(u["leader"], R), told(u["district"], R), told(u["street"], R)) == (1, 1, 0)
    # Nobody outside the chain heard anything.
    for persona in ("worker", "worker2", "community", "mediator", "petition"):
        assert not Notification.objects.filter(recipient=u[persona], verb__in=ALERT_VERBS.values())
    notice = Notification.objects.get(recipient=u["leader"], verb=ALERT_VERBS[R])
    assert event.number in notice.text
    assert "西陵派出所" in notice.text
    assert notice.url == f"/events/{event.pk}/"


def test_a_unit_without_a_head_hears_its_own_yellow_alert(world, police_item):
    walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)

    services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.YELLOW])
    services.alerts_notify(now=DISPATCH_THRESHOLDS[AlertLevel.YELLOW])

    assert told(world.users["dept"], Y) == 1


def test_the_event_own_stages_alert_the_dispatchers_and_the_grid_workers(world, police_item):
    u = world.users
    waiting = walk(world, police_item, EventStatus.GRABBED, now=MONDAY_9)  # the street holds it
    handled = walk(world, police_item, EventStatus.HANDLED, now=MONDAY_9)  # verify: the grid

    moment = at(2026, 11, 23, 14, 30)  # dispatch yellow (12:00), verify blue (3.5 h)
    services.sweep_alerts(now=moment)
    services.alerts_notify(now=moment)

    assert alerts_of(waiting) == [1, 2]
    assert alerts_of(handled) == [1]
    assert told(u["street"], B) == 1  # handlers of a dispatch stage: its dispatchers
    assert told(u["street"], Y) == 1  # no head of the street centre: its dispatchers again
    assert told(u["worker"], B) == 1  # handlers of a verification: the grid's workers
    assert told(u["worker2"], B) == 0


def test_an_alert_about_a_stage_that_ended_before_the_notifier_ran_tells_nobody(world, police_item):
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    task = event.tasks.get()
    services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE])
    services.task_sign(event=event, task=task, actor=world.users["dept"],
                       now=DISPATCH_THRESHOLDS[AlertLevel.BLUE])  # fmt: skip

    assert services.alerts_notify(now=DISPATCH_THRESHOLDS[AlertLevel.YELLOW]) == 0
    alert = Alert.objects.get()
    assert alert.notified_at is not None
    assert alert.recipient_count == 0


# --- Cost --------------------------------------------------------------------------------------


def _open_events_like(template: Event, count: int, batch: str) -> None:
    """``count`` open events with the template's clock (bulk: the sweep is what is measured)."""
    skip = {"id", "number"}
    fields = {f.attname: getattr(template, f.attname) for f in Event._meta.concrete_fields
              if f.attname not in skip}  # fmt: skip
    Event.objects.bulk_create(
        [Event(number=f"BULK{batch}-{i:05d}", **fields) for i in range(count)],
        batch_size=2000,
    )


def _sweep_queries(moment) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = services.sweep_alerts(now=moment)
    return len(captured), result


def test_the_sweep_costs_the_same_queries_for_10_and_for_10000_open_events(world, police_item):
    template = fresh(report(world, police_item, now=MONDAY_9))
    _open_events_like(template, 9, "A")
    few, few_result = _sweep_queries(DISPATCH_THRESHOLDS[AlertLevel.YELLOW])
    assert few_result.raised["event"][AlertLevel.YELLOW] == 10

    Event.objects.update(alert_level=0, next_alert_at=template.blue_at)
    Alert.objects.all().delete()
    _open_events_like(template, 9990, "B")
    many, many_result = _sweep_queries(DISPATCH_THRESHOLDS[AlertLevel.YELLOW])
    idle, _idle = _sweep_queries(DISPATCH_THRESHOLDS[AlertLevel.YELLOW])

    assert many_result.raised["event"][AlertLevel.YELLOW] == 10_000
    assert many_result.alerts == 20_000
    assert few == many == idle, (few, many, idle)
    assert many <= 20


def test_the_notifier_costs_the_same_queries_for_a_few_alerts_and_a_full_batch(world, police_item):
    def notifier_queries(events: int) -> int:
        for _ in range(events):
            report(world, police_item, now=MONDAY_9)
        services.sweep_alerts(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE])
        with CaptureQueriesContext(connection) as captured:
            services.alerts_notify(now=DISPATCH_THRESHOLDS[AlertLevel.BLUE], batch=100)
        return len(captured)

    few = notifier_queries(2)
    many = notifier_queries(40)

    assert few == many, (few, many)
    # Past the grab window nobody grabbed them: the district holds them.
    assert told(world.users["district"], B) == 42
    assert told(world.users["street"], B) == 0


# --- The command -------------------------------------------------------------------------------


def test_the_command_sweeps_as_if_it_were_the_given_moment(world, police_item, capsys):
    event = report(world, police_item, now=MONDAY_9)

    call_command("sweep_alerts", "--at", "2026-11-23T15:00:00+08:00")

    assert level(event) == AlertLevel.ORANGE
    out = capsys.readouterr().out
    assert "2026-11-23T15:00:00+08:00" in out
    assert "3 new alert" in out
    assert told(world.users["district"], AlertLevel.ORANGE) == 1  # past the grab window


def test_the_command_refuses_a_moment_it_cannot_read(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a moment"):
        call_command("sweep_alerts", "--at", "next tuesday")


def test_the_beat_schedule_runs_the_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["events-alerts-sweep"]
    assert entry["task"] == "events.tasks.sweep_alerts"
    assert entry["schedule"] == 60.0
