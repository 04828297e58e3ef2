"""Deadlines as columns: each stage's deadline and its four colour thresholds are computed in
working time when the stage starts (or an extension is approved), and stored on the event or
its task. The test week (23-27 November 2026) has no holiday: working hours are 08:30-12:00
and 14:00-17:30."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.choices import AlertLevel, ClockStage, Urgency
from events.workflow import EventStatus
from governance.audit.models import AuditEntry
from tests.events.helpers import MONDAY_9, at, fresh, report, walk


def thresholds(row):
    return (row.blue_at, row.yellow_at, row.orange_at, row.red_at)


def test_a_new_report_gets_its_dispatch_deadline_and_thresholds_in_working_hours(
    world, police_item
):
    event = fresh(report(world, police_item, now=MONDAY_9))  # normal: 4 working hours

    assert event.stage == ClockStage.DISPATCH
    assert event.deadline == at(2026, 11, 23, 15)  # 3 h before lunch, 1 h after
    assert thresholds(event) == (
        at(2026, 11, 23, 11),  # blue: 50% = 2 h
        at(2026, 11, 23, 12),  # yellow: 75% = 3 h, the end of the morning
        at(2026, 11, 23, 15),  # orange: 100%, due
        at(2026, 11, 23, 17),  # red: 150% = 6 h
    )
    assert event.alert_level == AlertLevel.NONE
    assert event.next_alert_at == event.blue_at


def test_a_report_on_friday_evening_counts_from_monday_morning(world, police_item):
    event = fresh(report(world, police_item, now=at(2026, 11, 27, 18), urgency=Urgency.URGENT))

    # Urgent: one working hour to dispatch, from Monday 08:30.
    assert event.deadline == at(2026, 11, 30, 9, 30)


def test_an_urgent_item_counted_in_calendar_hours_runs_through_the_weekend(world, police_item):
    services.service_item_update(
        actor=world.users["admin"], item=police_item, urgent_calendar_hours=True
    )
    police_item.refresh_from_db()
    event = fresh(
        report(world, police_item, now=at(2026, 11, 28, 10), urgency=Urgency.URGENT)  # Saturday
    )

    assert event.calendar_hours
    assert event.deadline == at(2026, 11, 28, 11)
    assert event.red_at == at(2026, 11, 28, 11, 30)


def test_a_task_runs_the_sign_clock_and_then_the_handling_clock_from_the_item(world, police_item):
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    task = event.tasks.get()
    assert task.stage == ClockStage.SIGN
    assert task.deadline == at(2026, 11, 23, 15)  # sign for within 4 working hours

    services.task_sign(event=event, task=task, actor=world.users["dept"], now=at(2026, 11, 23, 10))

    task = fresh(task)
    assert task.stage == ClockStage.HANDLE
    assert task.stage_started_at == at(2026, 11, 23, 10)
    assert task.deadline == at(2026, 11, 30, 10)  # 35 working hours: five working days
    assert task.blue_at == at(2026, 11, 25, 15, 30)
    assert task.red_at == at(2026, 12, 2, 15, 30)


def test_while_units_hold_an_event_it_shows_the_earliest_of_their_clocks(world, police_item):
    u = world.users
    event = walk(world, police_item, EventStatus.GRABBED, now=MONDAY_9)
    services.event_joint(
        event=event,
        actor=u["street"],
        to_units=[world.units["police_a"], world.units["station_a"]],
        lead=world.units["police_a"],
        now=MONDAY_9,
    )
    police_task = event.tasks.get(unit=world.units["police_a"])
    services.task_sign(event=event, task=police_task, actor=u["dept"], now=at(2026, 11, 23, 10))

    event, station_task = fresh(event), event.tasks.get(unit=world.units["station_a"])
    assert event.stage == ClockStage.HANDLE
    assert event.deadline == station_task.deadline == at(2026, 11, 23, 15)  # still to sign for
    assert event.red_at == station_task.red_at


def test_the_dispatch_clock_runs_on_through_a_grab_and_restarts_on_a_return(world, police_item):
    event = report(world, police_item, now=MONDAY_9)
    services.event_grab(event=event, actor=world.users["street"], now=at(2026, 11, 23, 9, 10))
    services.sweep_alerts(now=at(2026, 11, 23, 16))
    event = fresh(event)
    assert event.deadline == at(2026, 11, 23, 15)  # the same clock: grabbing is not routing
    assert event.alert_level == AlertLevel.ORANGE

    services.event_return(
        event=event, actor=world.users["street"], reason="需区级协调", now=at(2026, 11, 23, 16)
    )

    event = fresh(event)
    assert event.stage == ClockStage.DISPATCH
    assert event.stage_seq == 2
    assert event.alert_level == AlertLevel.NONE  # the district's own clock
    assert event.deadline == at(2026, 11, 24, 11)  # 1.5 h on Monday, 2.5 h on Tuesday


def test_a_handled_event_waits_for_verification_on_its_own_clock(world, police_item):
    event = walk(world, police_item, EventStatus.HANDLED, now=MONDAY_9)

    event = fresh(event)
    assert event.stage == ClockStage.VERIFY
    assert event.deadline == at(2026, 11, 24, 9)  # 7 working hours from Monday 09:00
    assert not event.tasks.filter(stage__gt="").exists()  # finished tasks have no clock


def test_closed_and_verified_events_have_no_clock_and_no_colour(world, police_item):
    closed = fresh(walk(world, police_item, EventStatus.CLOSED, now=MONDAY_9))
    verified = fresh(walk(world, police_item, EventStatus.VERIFIED, now=MONDAY_9))

    for event in (closed, verified):
        assert event.stage == ""
        assert event.deadline is None
        assert event.next_alert_at is None
        assert event.alert_level == AlertLevel.NONE


def test_an_approved_extension_moves_the_deadline_and_can_lower_the_colour(world, police_item):
    u = world.users
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    task = event.tasks.get()
    services.task_sign(event=event, task=task, actor=u["dept"], now=at(2026, 11, 23, 10))
    tuesday = at(2026, 12, 1, 10)  # past the deadline of Monday 30th, before red
    services.sweep_alerts(now=tuesday)
    assert fresh(task).alert_level == AlertLevel.ORANGE
    assert fresh(event).alert_level == AlertLevel.ORANGE
    services.task_request_extension(
        event=event, task=task, actor=u["dept"], reason="等待配件", new_due=at(2026, 12, 4, 17, 30),
        now=tuesday,
    )  # fmt: skip

    services.task_decide_extension(event=event, task=task, actor=u["street"], approve=True,
                                   now=tuesday)  # fmt: skip

    task, event = fresh(task), fresh(event)
    assert task.deadline == task.orange_at == at(2026, 12, 4, 17, 30)
    assert task.stage_started_at == at(2026, 11, 23, 10)  # same stage, stretched
    assert task.blue_at == at(2026, 11, 30, 9, 15)  # 50% of the 68.5 working hours
    assert task.yellow_at == at(2026, 12, 2, 14, 22) + timedelta(seconds=30)  # 75%
    assert task.alert_level == AlertLevel.BLUE
    assert event.alert_level == AlertLevel.BLUE
    assert event.deadline == task.deadline


def test_a_refused_extension_changes_nothing(world, police_item):
    u = world.users
    event = walk(world, police_item, EventStatus.IN_PROGRESS, now=MONDAY_9)
    task = event.tasks.get()
    services.task_request_extension(
        event=event, task=task, actor=u["dept"], reason="等待配件",
        new_due=fresh(task).deadline + timedelta(days=3), now=MONDAY_9,
    )  # fmt: skip
    before = [getattr(fresh(task), f) for f in ("deadline", "blue_at", "red_at", "stage_seq")]

    services.task_decide_extension(event=event, task=task, actor=u["street"], approve=False,
                                   now=MONDAY_9)  # fmt: skip

    assert [getattr(fresh(task), f) for f in ("deadline", "blue_at", "red_at", "stage_seq")] == (
        before
    )


def test_an_extension_must_end_after_the_current_deadline(world, police_item):
    event = walk(world, police_item, EventStatus.IN_PROGRESS, now=MONDAY_9)
    task = fresh(event.tasks.get())

    with pytest.raises(ValidationError) as refused:
        services.task_request_extension(
            event=event, task=task, actor=world.users["dept"], reason="等待配件",
            new_due=task.deadline - timedelta(hours=1), now=MONDAY_9,
        )  # fmt: skip

    assert "new_due" in refused.value.message_dict


def test_an_extension_whose_date_has_passed_cannot_be_approved(world, police_item):
    event = walk(world, police_item, EventStatus.IN_PROGRESS, now=MONDAY_9)
    task = fresh(event.tasks.get())
    new_due = task.deadline + timedelta(hours=2)
    services.task_request_extension(event=event, task=task, actor=world.users["dept"],
                                    reason="等待配件", new_due=new_due, now=MONDAY_9)  # fmt: skip

    with pytest.raises(ValidationError, match="passed"):
        services.task_decide_extension(event=event, task=task, actor=world.users["street"],
                                       approve=True, now=new_due + timedelta(hours=1))  # fmt: skip

    assert fresh(task).deadline == task.deadline


def test_a_service_item_may_set_its_own_thresholds_in_a_new_version(world, police_item):
    old = report(world, police_item, now=MONDAY_9)
    services.service_item_update(
        actor=world.users["admin"],
        item=police_item,
        alert_thresholds={"blue": 25, "yellow": 50, "orange": 100, "red": 200},
    )
    police_item.refresh_from_db()
    assert police_item.current.number == 2

    new = fresh(report(world, police_item, now=MONDAY_9))

    assert thresholds(new) == (
        at(2026, 11, 23, 10),
        at(2026, 11, 23, 11),
        at(2026, 11, 23, 15),
        at(2026, 11, 24, 10),  # 200% = 8 working hours
    )
    assert fresh(old).blue_at == at(2026, 11, 23, 11)  # filed under version 1: unchanged


@pytest.mark.parametrize(
    "values",
    [{"blue": 50, "yellow": 40, "orange": 100, "red": 150}, {"blue": 50}, {"blue": 0, "yellow": 5,
     "orange": 10, "red": 20}],
)  # fmt: skip
def test_item_thresholds_out_of_order_or_incomplete_are_refused(world, police_item, values):
    with pytest.raises(ValidationError) as refused:
        services.service_item_update(
            actor=world.users["admin"], item=police_item, alert_thresholds=values
        )
    assert "alert_thresholds" in refused.value.message_dict


def test_the_global_thresholds_apply_to_stages_that_start_after_a_change(world, police_item):
    running = report(world, police_item, now=MONDAY_9)

    services.alert_settings_update(
        actor=world.users["admin"], blue_percent=25, dispatch_hours_normal=8
    )
    new = fresh(report(world, police_item, now=MONDAY_9))

    assert new.deadline == at(2026, 11, 24, 10)  # 8 working hours
    assert new.blue_at == at(2026, 11, 23, 11)  # 25% = 2 h
    assert fresh(running).deadline == at(2026, 11, 23, 15)
    entry = AuditEntry.objects.get(action="alert_settings.update")
    assert entry.detail["changed"]["blue_percent"] == [50, 25]
    assert entry.actor == world.users["admin"]


def test_only_administrators_change_the_alert_settings_and_colours_stay_in_order(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.alert_settings_update(actor=world.users["district"], blue_percent=40)
    with pytest.raises(ValidationError):
        services.alert_settings_update(actor=world.users["admin"], yellow_percent=40)
    with pytest.raises(ValidationError):
        services.alert_settings_update(actor=world.users["admin"], dispatch_hours_urgent=0)
    assert not AuditEntry.objects.filter(action="alert_settings.update").exists()
