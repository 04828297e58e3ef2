"""Stage clocks of events and tasks: started when a stage starts, stretched when an extension
is approved, mirrored from the tasks while units hold an event, cleared when no clock runs.

The transitions call these on the rows they hold locked, before they save them; the caller
saves. Which statuses run which clock:

============================================  ======================================  =========
event status                                  clock                                   limit
============================================  ======================================  =========
pending, reported, grabbed, returned,          the event's own ``dispatch`` clock      alert
sent back                                     (a return to the district restarts it)  settings
dispatched / in progress                      mirror of the open tasks (earliest      the tasks'
                                              thresholds: the worst colour)
handled (awaiting verification)               the event's own ``verify`` clock        item
verified, closed, rejected                    none (auto-close bounds the rating)
============================================  ======================================  =========

A task awaiting sign-for runs the ``sign`` clock, a task in progress the ``handle`` clock (both
from the item's limits for the event's urgency); a finished task has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from events.choices import AlertLevel, ClockStage, Urgency
from events.clocks import (
    THRESHOLD_FIELDS,
    Percentages,
    Schedule,
    schedule,
    stretched,
)
from events.models import AlertSettings, Event, ServiceItemVersion, Task, default_time_limits
from events.workflow import TASK_OPEN, EventStatus, TaskStatus
from governance.worktime.calendar import working_calendar

S = EventStatus

EVENT_STAGE = {
    S.PENDING: ClockStage.DISPATCH,
    S.REPORTED: ClockStage.DISPATCH,
    S.GRABBED: ClockStage.DISPATCH,
    S.RETURNED: ClockStage.DISPATCH,
    S.SENT_BACK: ClockStage.DISPATCH,
    S.DISPATCHED: ClockStage.SIGN,
    S.IN_PROGRESS: ClockStage.HANDLE,
    S.HANDLED: ClockStage.VERIFY,
}
# Stages the event's own clock times (the others mirror its tasks): their alerts are the
# event's; while units hold it, the alerts are the tasks'.
OWN_STAGES = frozenset({ClockStage.DISPATCH, ClockStage.VERIFY})
TASK_STAGE = {TaskStatus.AWAITING_SIGN: ClockStage.SIGN, TaskStatus.IN_PROGRESS: ClockStage.HANDLE}
CLOCK_FIELDS = (
    "stage",
    "stage_seq",
    "stage_started_at",
    "deadline",
    *THRESHOLD_FIELDS,
    "next_alert_at",
    "alert_level",
    "calendar_hours",
)


@dataclass(frozen=True)
class ClockContext:
    """What computing a schedule needs: the working calendar and the alert settings."""

    calendar: object
    settings: AlertSettings


def alert_settings() -> AlertSettings:
    """The saved alert settings, or the defaults when an admin never changed them."""
    return AlertSettings.objects.filter(pk=1).first() or AlertSettings()


def context() -> ClockContext:
    return ClockContext(calendar=working_calendar(), settings=alert_settings())


def global_percentages(settings: AlertSettings) -> Percentages:
    return Percentages(
        settings.blue_percent,
        settings.yellow_percent,
        settings.orange_percent,
        settings.red_percent,
    )


def percentages_for(version: ServiceItemVersion, ctx: ClockContext) -> Percentages:
    """The item's own thresholds if it has them, else the global ones."""
    return Percentages.from_mapping(version.alert_thresholds, global_percentages(ctx.settings))


def dispatch_hours(settings: AlertSettings, urgency: str) -> int:
    return {
        Urgency.NORMAL: settings.dispatch_hours_normal,
        Urgency.IMPORTANT: settings.dispatch_hours_important,
        Urgency.URGENT: settings.dispatch_hours_urgent,
    }.get(urgency, settings.dispatch_hours_normal)


def limit_for(version: ServiceItemVersion, urgency: str, stage: str, ctx: ClockContext):
    """The stage's time limit: the dispatch limit of the settings, the item's for the others."""
    if stage == ClockStage.DISPATCH:
        hours = dispatch_hours(ctx.settings, urgency)
    else:
        hours = version.limit_hours(urgency, stage) or default_time_limits()[urgency][stage]
    return timedelta(hours=hours)


def counts_elapsed(version: ServiceItemVersion, urgency: str) -> bool:
    """Whether the clock counts calendar hours: urgent events of items flagged so."""
    return urgency == Urgency.URGENT and version.urgent_calendar_hours


def schedule_for(row, stage: str, *, start, version, urgency, ctx: ClockContext) -> Schedule:
    return schedule(
        ctx.calendar,
        start,
        limit_for(version, urgency, stage, ctx),
        percentages_for(version, ctx),
        elapsed=counts_elapsed(version, urgency),
    )


def _apply(row: Event | Task, plan: Schedule, now) -> None:
    """Put a schedule on the row, with the colour it shows at ``now``."""
    row.deadline = plan.deadline
    for field, moment in zip(THRESHOLD_FIELDS, plan.thresholds(), strict=True):
        setattr(row, field, moment)
    row.calendar_hours = plan.calendar_hours
    row.alert_level = plan.level_at(now)
    row.next_alert_at = plan.next_alert_after(row.alert_level)


def _clear(row: Event | Task) -> None:
    row.stage = ClockStage.NONE
    row.deadline = row.next_alert_at = None
    for field in THRESHOLD_FIELDS:
        setattr(row, field, None)
    row.alert_level = AlertLevel.NONE
    row.calendar_hours = False


def _start(row, stage: str, *, now, version, urgency, ctx: ClockContext) -> None:
    """A new round of ``stage`` starting at ``now``: a fresh schedule, the colour reset."""
    row.stage = stage
    row.stage_seq += 1
    row.stage_started_at = now
    plan = schedule_for(row, stage, start=now, version=version, urgency=urgency, ctx=ctx)
    _apply(row, plan, now)


# --- Tasks --------------------------------------------------------------------------------------


def task_clock(task: Task, *, event: Event, now, ctx: ClockContext | None = None) -> None:
    """After the task's status changed: start the clock of its new stage, or stop it."""
    stage = TASK_STAGE.get(task.status, ClockStage.NONE)
    if not stage:
        _clear(task)
    elif stage != task.stage:
        _start(
            task,
            stage,
            now=now,
            version=event.item_version,
            urgency=event.urgency,
            ctx=ctx or context(),
        )


def task_extend(task: Task, *, event: Event, due, now, ctx: ClockContext | None = None) -> None:
    """An approved extension: same start, the approved moment as deadline, thresholds
    stretched over the new length, the colour recomputed (it may fall). A new round of the
    stage: breaking the new deadline alerts again."""
    ctx = ctx or context()
    start = task.stage_started_at or now
    plan = stretched(
        ctx.calendar,
        start,
        due,
        percentages_for(event.item_version, ctx),
        elapsed=task.calendar_hours,
    )
    task.stage_seq += 1
    _apply(task, plan, now)


# --- Events -------------------------------------------------------------------------------------


def event_clock(
    event: Event, *, before: str | None, now, restart: bool = False, ctx: ClockContext | None = None
) -> None:
    """After a transition: run the event's own clock, mirror its tasks, or stop the clock.

    1. Dispatch and verify are the event's own stages: a new round starts when the stage
       changes, or when ``restart`` says a new holder took it (a return to the district).
    2. While units hold it, the event shows its open tasks' clocks: the earliest deadline and,
       per colour, the earliest threshold, so its colour is the worst of theirs.
    3. Otherwise no clock runs; the stage start still marks when the status changed.
    """
    stage = EVENT_STAGE.get(event.status, ClockStage.NONE)
    if stage in OWN_STAGES:
        if restart or stage != event.stage:
            _start(
                event,
                stage,
                now=now,
                version=event.item_version,
                urgency=event.urgency,
                ctx=ctx or context(),
            )
    elif stage:
        _mirror(event, stage, now=now)
    else:
        if event.stage or before != event.status:
            event.stage_started_at = now
        _clear(event)


def _mirror(event: Event, stage: str, *, now) -> None:
    if stage != event.stage:
        event.stage = stage
        event.stage_seq += 1
        event.stage_started_at = now
    rows = [
        row
        for row in event.tasks.filter(status__in=TASK_OPEN).values_list(
            "deadline", *THRESHOLD_FIELDS, "calendar_hours"
        )
        if row[0] is not None
    ]
    if not rows:
        _clear(event)
        event.stage = stage
        return
    earliest = [min(row[i] for row in rows) for i in range(5)]
    _apply(event, Schedule(*earliest, calendar_hours=rows[0][5]), now)


def save_clock(row: Event | Task) -> None:
    """Write only the clock columns of a row whose other fields were saved already."""
    type(row).objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in CLOCK_FIELDS})
