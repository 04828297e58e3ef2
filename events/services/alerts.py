"""The overdue alerts: the sweep that raises the colours, the notifier that tells people.

The sweep (``sweep_alerts``, every minute from Celery beat) is one transaction of a fixed
number of set-based statements, whatever the number of open events: for the tasks, then the
events, and for each colour in order (blue, yellow, orange, red),

1. ``INSERT INTO events_alert SELECT … ON CONFLICT DO NOTHING``: one alert record for each
   open row whose colour threshold has passed and that has not reached the colour yet;
2. ``UPDATE … SET alert_level = colour, next_alert_at = <next threshold>`` on the same rows.

Both find their rows through a partial index on ``next_alert_at`` that leaves out closed
events and finished tasks. Raising is monotonic (``alert_level < colour``); a new stage resets
the colour (``events.services.clocks``). A row that was late through several colours at once
(the platform was down) gets each colour's record, in order. The unique constraints on
(row, stage round, colour) make a second sweep, or a second beat by mistake, insert nothing; on
PostgreSQL a transaction-level advisory lock also queues a second sweep behind the first.

While units hold an event, its colour mirrors its tasks' and the records are the tasks'; the
event's own records are those of its own stages (dispatch, verify).

The notifier (``alerts_notify``, a separate task queued after the sweep commits) claims alerts
not yet notified with ``SELECT … FOR UPDATE SKIP LOCKED``, writes one in-product notification
per recipient and marks the alerts notified in the same transaction: a crash before the commit
leaves them for the next run (nothing lost), a concurrent notifier skips the claimed rows
(nothing sent twice). Other channels (an SMS gateway) are sent after that commit.

Who hears about a colour:

======  ================================================================================
blue    whoever must act: the task's unit (its handlers; a community station's staff); for
        the event's own stages, the dispatchers holding it or the grid's workers (verify)
yellow  the head of that unit (``UnitHead``; the unit's own staff when none is designated)
orange  the dispatch centre that owns the event (street or district, as the grab window
        and returns decide)
red     the leaders of the event's area (community, street, district) and the supervision
        desk: the district dispatch centre, which keeps the supervision list (督办)
======  ================================================================================
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from events.choices import AlertLevel, ClockStage, OwnerLevel
from events.clocks import LEVEL_FIELD, NEXT_FIELD
from events.models import Alert, Event, Task, UnitHead
from events.services.clocks import OWN_STAGES
from events.services.common import clock
from events.workflow import TASK_OPEN, TERMINAL
from governance.accounts.models import RoleAssignment, User
from governance.accounts.roles import Role
from governance.notifications.channels import InProductChannel, Message, channels
from grids.choices import CODE_LENGTH, AreaLevel, UnitKind, ancestor_codes
from grids.models import Unit

# An arbitrary constant naming the sweep's advisory lock on PostgreSQL.
SWEEP_LOCK = 5_202_611

ALERT_VERBS = {
    AlertLevel.BLUE: gettext_noop(
        "Blue alert on %(number)s (%(item)s): %(stage)s by %(holder)s is due %(due)s"
    ),
    AlertLevel.YELLOW: gettext_noop(
        "Yellow alert on %(number)s (%(item)s): %(stage)s by %(holder)s is due %(due)s"
    ),
    AlertLevel.ORANGE: gettext_noop(
        "Orange alert on %(number)s (%(item)s): %(stage)s by %(holder)s was due %(due)s"
    ),
    AlertLevel.RED: gettext_noop(
        "Red alert on %(number)s (%(item)s): %(stage)s by %(holder)s is long overdue (due "
        "%(due)s); it is on the supervision list"
    ),
}


# --- The sweep ----------------------------------------------------------------------------------


@dataclass
class SweepResult:
    """What one sweep did: rows raised per table and colour, alert records written."""

    now: object
    raised: dict[str, dict[int, int]] = field(default_factory=dict)
    alerts: int = 0

    def as_dict(self) -> dict:
        return {
            "now": self.now.isoformat(),
            "alerts": self.alerts,
            "raised": {table: dict(levels) for table, levels in self.raised.items()},
        }


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _col(model, name: str) -> str:
    return _q(model._meta.get_field(name).column)


def _open_rows(model):
    """The open rows of the partial index: finished tasks and closed events left out."""
    if model is Task:
        return Task.objects.filter(status__in=sorted(TASK_OPEN))
    return Event.objects.exclude(status__in=sorted(TERMINAL))


def _insert_alerts(model, level: int, now) -> int:
    """INSERT … SELECT … ON CONFLICT DO NOTHING: a record for each row reaching ``level``.

    Written as SQL (the ORM has no INSERT … SELECT); it runs on PostgreSQL and SQLite alike.
    """
    threshold = LEVEL_FIELD[level]
    at = connection.ops.adapt_datetimefield_value(now)
    alert_columns = ", ".join(
        _col(Alert, name)
        for name in ("event", "task", "unit", "stage", "stage_seq", "level", "threshold_at",
                     "deadline", "raised_at", "notified_at", "recipient_count")
    )  # fmt: skip
    table = model._meta
    common = [_col(model, "stage"), _col(model, "stage_seq"), "%s", _col(model, threshold),
              _col(model, "deadline"), "%s", "NULL", "0"]  # fmt: skip
    if model is Task:
        who = [_col(Task, "event"), _q(table.pk.column), _col(Task, "unit")]
        status = f"{_col(Task, 'status')} IN (%s, %s)"
        status_params = sorted(TASK_OPEN)
        own, own_params = "", []
    else:
        who = [_q(table.pk.column), "NULL", "NULL"]
        status = f"NOT ({_col(Event, 'status')} IN (%s, %s))"
        status_params = sorted(TERMINAL)
        own = f" AND {_col(Event, 'stage')} IN (%s, %s)"
        own_params = sorted(OWN_STAGES)
    # Identifiers come from the models' metadata, every value is a parameter.
    sql = (
        f"INSERT INTO {_q(Alert._meta.db_table)} ({alert_columns}) "  # noqa: S608
        f"SELECT {', '.join(who + common)} FROM {_q(table.db_table)} "
        f"WHERE {_col(model, 'next_alert_at')} <= %s AND {status} "
        f"AND {_col(model, 'alert_level')} < %s AND {_col(model, threshold)} <= %s{own} "
        "ON CONFLICT DO NOTHING"
    )
    params = [level, at, at, *status_params, level, at, *own_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _raise(model, level: int, now) -> int:
    """UPDATE the rows whose ``level`` threshold has passed: the colour, the next threshold."""
    threshold = LEVEL_FIELD[level]
    following = NEXT_FIELD[level]
    rows = _open_rows(model).filter(
        next_alert_at__lte=now, alert_level__lt=level, **{f"{threshold}__lte": now}
    )
    return rows.update(alert_level=level, next_alert_at=F(following) if following else None)


def sweep_alerts(*, now=None, enqueue: bool = True) -> SweepResult:
    """Raise every colour whose threshold has passed and record the alerts (see the module).

    ``enqueue`` queues the notifier once the sweep commits (the beat task); the command runs
    the notifier itself.
    """
    now = clock(now)
    result = SweepResult(now=now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
        for model, name in ((Task, "task"), (Event, "event")):
            raised = result.raised.setdefault(name, {})
            for level in (AlertLevel.BLUE, AlertLevel.YELLOW, AlertLevel.ORANGE, AlertLevel.RED):
                result.alerts += _insert_alerts(model, level, now)
                raised[int(level)] = _raise(model, level, now)
        if enqueue:
            transaction.on_commit(_queue_notifier)
    return result


def _queue_notifier() -> None:
    from events.tasks import send_alert_notifications

    send_alert_notifications.delay()


# --- Who hears about an alert -------------------------------------------------------------------


@dataclass
class Audience:
    """Everything a batch of alerts needs to name its recipients, read in a few queries."""

    members: dict[int, set[int]]  # unit id -> its staff
    heads: dict[int, set[int]]  # unit id -> its designated heads
    by_area: dict[tuple[str, str], set[int]]  # (role, area code) -> users
    centres: dict[tuple[str, str], Unit]  # (unit kind, area code) -> dispatch centre / station
    active: set[int]

    @classmethod
    def load(cls, alerts: list[Alert]) -> Audience:
        codes: set[str] = set()
        for alert in alerts:
            grid = alert.event.grid.code
            codes.update([grid, *ancestor_codes(grid)])
        centre_kinds = [
            UnitKind.STREET_CENTRE,
            UnitKind.DISTRICT_CENTRE,
            UnitKind.COMMUNITY_STATION,
        ]
        centres = {
            (u.kind, u.area.code): u
            for u in Unit.objects.filter(
                kind__in=centre_kinds, area__code__in=codes, is_active=True
            )
            .select_related("area")
            .order_by("id")
        }
        unit_ids = {a.task.unit_id for a in alerts if a.task_id} | {u.pk for u in centres.values()}
        stations = {
            u.pk: u.area_id for u in centres.values() if u.kind == UnitKind.COMMUNITY_STATION
        }
        for alert in alerts:
            if alert.task_id and alert.task.unit.kind == UnitKind.COMMUNITY_STATION:
                stations[alert.task.unit_id] = alert.task.unit.area_id
        area_roles = [
            Role.STREET_DISPATCHER,
            Role.DISTRICT_DISPATCHER,
            Role.LEADER,
            Role.GRID_WORKER,
        ]
        rows = RoleAssignment.objects.filter(
            Q(unit_id__in=unit_ids)
            | Q(role=Role.COMMUNITY_STAFF, area_id__in=set(stations.values()))
            | Q(role__in=area_roles, area__code__in=codes)
        ).values_list("user_id", "role", "unit_id", "area_id", "area__code")
        members: dict[int, set[int]] = defaultdict(set)
        by_area: dict[tuple[str, str], set[int]] = defaultdict(set)
        station_of_area = {area: unit for unit, area in stations.items()}
        users: set[int] = set()
        for user_id, role, unit_id, area_id, area_code in rows:
            users.add(user_id)
            if unit_id in unit_ids:
                members[unit_id].add(user_id)
            if role == Role.COMMUNITY_STAFF and area_id in station_of_area:
                members[station_of_area[area_id]].add(user_id)
            if area_code:
                by_area[(role, area_code)].add(user_id)
        heads: dict[int, set[int]] = defaultdict(set)
        for unit_id, user_id in UnitHead.objects.filter(unit_id__in=unit_ids).values_list(
            "unit_id", "user_id"
        ):
            heads[unit_id].add(user_id)
            users.add(user_id)
        active = set(User.objects.filter(pk__in=users, is_active=True).values_list("pk", flat=True))
        return cls(members, heads, by_area, centres, active)

    # --- per alert ---

    @staticmethod
    def owner(alert: Alert) -> str:
        return alert.event.owner_at(alert.raised_at)

    def dispatchers(self, event: Event, level: str) -> set[int]:
        code = event.grid.code
        if level == OwnerLevel.STREET:
            return self.by_area[(Role.STREET_DISPATCHER, code[: CODE_LENGTH[AreaLevel.STREET]])]
        return self.by_area[(Role.DISTRICT_DISPATCHER, code[: CODE_LENGTH[AreaLevel.DISTRICT]])]

    def holder_unit(self, alert: Alert) -> Unit | None:
        """The unit whose work the alert is about."""
        if alert.task_id:
            return alert.task.unit
        code = alert.event.grid.code
        if alert.stage == ClockStage.VERIFY:
            return self.centres.get(
                (UnitKind.COMMUNITY_STATION, code[: CODE_LENGTH[AreaLevel.COMMUNITY]])
            )
        if self.owner(alert) == OwnerLevel.STREET:
            return self.centres.get((UnitKind.STREET_CENTRE, code[: CODE_LENGTH[AreaLevel.STREET]]))
        return self.centres.get((UnitKind.DISTRICT_CENTRE, code[: CODE_LENGTH[AreaLevel.DISTRICT]]))

    def handlers(self, alert: Alert) -> set[int]:
        event = alert.event
        if alert.task_id:
            return set(self.members[alert.task.unit_id])
        if alert.stage == ClockStage.VERIFY:
            return set(self.by_area[(Role.GRID_WORKER, event.grid.code)])
        return set(self.dispatchers(event, self.owner(alert)))

    def recipients(self, alert: Alert) -> set[int]:
        level = alert.level
        if level == AlertLevel.BLUE:
            found = self.handlers(alert)
        elif level == AlertLevel.YELLOW:
            unit = self.holder_unit(alert)
            found = set(self.heads[unit.pk]) if unit is not None else set()
            found = found or self.handlers(alert)
        elif level == AlertLevel.ORANGE:
            found = set(self.dispatchers(alert.event, self.owner(alert)))
        else:
            code = alert.event.grid.code
            found = set(self.dispatchers(alert.event, OwnerLevel.DISTRICT))
            for prefix in ancestor_codes(code):
                found |= self.by_area[(Role.LEADER, prefix)]
        return found & self.active


# --- The notifier -------------------------------------------------------------------------------


def _params(alert: Alert, audience: Audience) -> dict:
    event = alert.event
    unit = audience.holder_unit(alert)
    with translation.override(settings.LANGUAGE_CODE):  # the deployment's language
        stage = str(ClockStage(alert.stage).label)
    due = timezone.localtime(alert.deadline)
    return {
        "number": event.number,
        "item": event.item_version.name,
        "stage": stage,
        "holder": unit.name if unit is not None else "—",
        "due": f"{due:%m-%d %H:%M}",
        "level": alert.alert_code,
    }


def _current_round(alert: Alert) -> bool:
    """Whether the stage round the alert belongs to is still running on its row."""
    row = alert.task if alert.task_id else alert.event
    return row.stage_seq == alert.stage_seq and row.stage == alert.stage


def _notify_batch(now, size: int) -> int | None:
    """Claim up to ``size`` alerts, notify their recipients, mark them; None when none is left."""
    with transaction.atomic():
        alerts = list(
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(notified_at__isnull=True)
            .select_related("event__grid", "event__item_version", "task__unit")
            .order_by("id")[:size]
        )
        if not alerts:
            return None
        audience = Audience.load(alerts)
        messages = []
        for alert in alerts:
            # An alert about a stage that has ended (the worker was down meanwhile) helps
            # nobody any more: it is marked, with no recipient.
            users = audience.recipients(alert) if _current_round(alert) else set()
            alert.recipient_count = len(users)
            alert.notified_at = now
            url = reverse("events:detail", args=[alert.event_id])
            params = _params(alert, audience) if users else {}
            messages.extend(
                Message(
                    recipient_id=user_id,
                    verb=ALERT_VERBS[alert.level],
                    params=params,
                    url=url,
                    target_type=Event._meta.label_lower,
                    target_id=str(alert.event_id),
                )
                for user_id in sorted(users)
            )
        others = []
        for channel in channels():
            if isinstance(channel, InProductChannel):
                channel.send(messages)  # in this transaction: with the claim, or not at all
            else:
                others.append(channel)
        Alert.objects.bulk_update(alerts, ["notified_at", "recipient_count"])
        for channel in others:
            transaction.on_commit(lambda channel=channel: channel.send(messages))
        return len(messages)


def alerts_notify(*, now=None, batch: int = 500, max_batches: int = 40) -> int:
    """Notify the alerts not notified yet, in batches (each its own transaction); returns how
    many notifications were written. What one run leaves, the next takes."""
    now = clock(now)
    sent = 0
    for _ in range(max_batches):
        written = _notify_batch(now, batch)
        if written is None:
            break
        sent += written
    return sent
