"""Give the events and tasks that are open when this runs their stage clocks.

Each clock starts when its stage started (the stage timestamps the pipeline kept), with the
default thresholds and dispatch limits, and shows the colour it has reached now. No alert is
recorded for colours reached before the upgrade: the sweep alerts on what it raises from now
on (the supervision list reads the colour, so red events are on it at once).
"""

from datetime import time, timedelta

from django.db import migrations
from django.utils import timezone

from events.clocks import DEFAULT_PERCENTAGES, NEXT_FIELD, Percentages, schedule, stretched

OWN = {
    "pending": "dispatch",
    "reported": "dispatch",
    "grabbed": "dispatch",
    "returned": "dispatch",
    "sent_back": "dispatch",
    "handled": "verify",
}
MIRRORED = {"dispatched": "sign", "in_progress": "handle"}
DISPATCH_HOURS = {"normal": 4, "important": 2, "urgent": 1}
DEFAULT_LIMITS = {
    "normal": {"sign": 4, "handle": 35, "verify": 7},
    "important": {"sign": 2, "handle": 21, "verify": 7},
    "urgent": {"sign": 1, "handle": 7, "verify": 4},
}
FIELDS = ("deadline", "blue_at", "yellow_at", "orange_at", "red_at")


def _calendar(apps):
    from governance.worktime.engine import DEFAULT_PERIODS, WorkingCalendar

    DayOverride = apps.get_model("worktime", "DayOverride")
    WorkingHours = apps.get_model("worktime", "WorkingHours")
    row = WorkingHours.objects.filter(pk=1).first()
    periods = (
        [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in row.periods]
        if row
        else DEFAULT_PERIODS
    )
    days = dict(DayOverride.objects.values_list("date", "kind"))
    return WorkingCalendar(days=days, periods=periods, zone=timezone.get_default_timezone())


def _limit(version, urgency, stage):
    if stage == "dispatch":
        return timedelta(hours=DISPATCH_HOURS.get(urgency, 4))
    hours = (version.time_limits.get(urgency) or {}).get(stage) or DEFAULT_LIMITS[urgency][stage]
    return timedelta(hours=hours)


def _apply(row, plan, now):
    for field, moment in zip(FIELDS, (plan.deadline, *plan.thresholds()), strict=True):
        setattr(row, field, moment)
    row.calendar_hours = plan.calendar_hours
    row.alert_level = plan.level_at(now)
    field = NEXT_FIELD[row.alert_level]
    row.next_alert_at = getattr(plan, field) if field else None


def forwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Task = apps.get_model("events", "Task")
    events = list(
        Event.objects.filter(status__in=[*OWN, *MIRRORED]).select_related("item_version")
    )
    if not events:
        return
    calendar = _calendar(apps)
    now = timezone.now()
    update = ["stage", "stage_seq", "stage_started_at", *FIELDS, "next_alert_at",
              "alert_level", "calendar_hours"]  # fmt: skip
    for event in events:
        version = event.item_version
        elapsed = event.urgency == "urgent" and version.urgent_calendar_hours
        percentages = Percentages.from_mapping(version.alert_thresholds, DEFAULT_PERCENTAGES)
        if event.status in OWN:
            stage = OWN[event.status]
            plan = schedule(
                calendar,
                event.stage_started_at,
                _limit(version, event.urgency, stage),
                percentages,
                elapsed=elapsed,
            )
            event.stage, event.stage_seq = stage, 1
            _apply(event, plan, now)
            event.save(update_fields=update)
            continue
        plans = []
        for task in Task.objects.filter(event=event, status__in=["awaiting_sign", "in_progress"]):
            stage = "sign" if task.status == "awaiting_sign" else "handle"
            start = task.handle_started_at if stage == "handle" else task.sign_started_at
            start = start or task.sign_started_at
            if task.extended_until and stage == "handle":
                plan = stretched(calendar, start, task.extended_until, percentages, elapsed=elapsed)
            else:
                limit = _limit(version, event.urgency, stage)
                plan = schedule(calendar, start, limit, percentages, elapsed=elapsed)
            task.stage, task.stage_seq, task.stage_started_at = stage, 1, start
            _apply(task, plan, now)
            task.save(update_fields=update)
            plans.append(plan)
        event.stage, event.stage_seq = MIRRORED[event.status], 1
        if plans:
            earliest = [min(getattr(p, f) for p in plans) for f in FIELDS]
            plan = type(plans[0])(*earliest, calendar_hours=elapsed)
            _apply(event, plan, now)
        event.save(update_fields=update)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_deadlines_and_alerts"),
        ("worktime", "0001_calendar"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
