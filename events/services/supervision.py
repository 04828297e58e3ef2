"""Supervision (督办) and the alert settings: writes of leaders, dispatch centres and admins.

A supervision notice presses the units holding an open event: it is written to the event's
flow log, lands in the holders' inboxes (notifications) and is counted per unit for the
monthly assessment. The alert settings (thresholds, dispatch limits) and the unit heads are
kept by administrators; every change is audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.choices import ClockStage, OwnerLevel
from events.clocks import percentage_problem
from events.models import AlertSettings, Event, Supervision, Task, UnitHead
from events.services import notify
from events.services.common import clock, lock_event, log
from events.workflow import TASK_OPEN
from governance.audit.services import audit_record
from governance.scoping import user_scope
from grids.choices import CODE_LENGTH, AreaLevel, UnitKind
from grids.models import Unit

SUPERVISE = "events.supervise_event"
NOTE_MAX = 500


def holding_units(event: Event, *, now) -> list[Unit]:
    """The units that hold an open event: its open tasks' units, else the dispatch centre that
    owns it, or (awaiting verification) the community station of its grid."""
    tasks = Task.objects.filter(event=event, status__in=TASK_OPEN).select_related("unit")
    units = [t.unit for t in tasks.order_by("-is_lead", "id")]
    if units:
        return units
    code = event.grid.code
    if event.stage == ClockStage.VERIFY:
        kind, prefix = UnitKind.COMMUNITY_STATION, code[: CODE_LENGTH[AreaLevel.COMMUNITY]]
    elif event.owner_at(now) == OwnerLevel.STREET:
        kind, prefix = UnitKind.STREET_CENTRE, code[: CODE_LENGTH[AreaLevel.STREET]]
    else:
        kind, prefix = UnitKind.DISTRICT_CENTRE, code[: CODE_LENGTH[AreaLevel.DISTRICT]]
    return list(Unit.objects.filter(kind=kind, area__code=prefix, is_active=True).order_by("id"))


def may_supervise(actor, event: Event) -> bool:
    return user_scope(actor, SUPERVISE).covers(event.grid.code)


@transaction.atomic
def supervision_issue(*, event: Event, actor, note: str, now=None) -> Supervision:
    """Issue a supervision notice on an open event of the actor's area (督办)."""
    now = clock(now)
    locked = lock_event(event)
    if actor is None or not may_supervise(actor, locked):
        raise PermissionDenied(_("You may not issue supervision notices on %(number)s.")
                               % {"number": locked.number})  # fmt: skip
    note = (note or "").strip()
    if not locked.is_open:
        raise ValidationError(_("%(number)s is no longer open.") % {"number": locked.number})
    if not note:
        raise ValidationError({"note": _("Write what you require of the units, and by when.")})
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the notice under %(n)s characters.") % {"n": NOTE_MAX}}
        )
    units = holding_units(locked, now=now)
    supervision = Supervision.objects.create(
        event=locked, issued_by=actor, issued_at=now, note=note, alert_level=locked.alert_level
    )
    supervision.units.set(units)
    log(
        locked,
        "supervise",
        actor=actor,
        now=now,
        from_status=locked.status,
        comment=note,
        data={"units": [u.name for u in units], "level": locked.alert_code},
    )
    tasks_units = [u.pk for u in units if u.kind not in (UnitKind.STREET_CENTRE,
                                                        UnitKind.DISTRICT_CENTRE)]  # fmt: skip
    if locked.stage in (ClockStage.SIGN, ClockStage.HANDLE) and tasks_units:
        notify.to_units("supervised", locked, tasks_units, actor=actor, note=note)
    elif locked.stage == ClockStage.VERIFY:
        notify.to_grid("supervised", locked, actor=actor, note=note)
        notify.to_units("supervised", locked, tasks_units, actor=actor, note=note)
    else:
        notify.to_dispatchers("supervised", locked, locked.owner_at(now), actor=actor, note=note)
    return supervision


# --- Alert settings -----------------------------------------------------------------------------

SETTING_FIELDS = (
    "blue_percent",
    "yellow_percent",
    "orange_percent",
    "red_percent",
    "dispatch_hours_normal",
    "dispatch_hours_important",
    "dispatch_hours_urgent",
)


def _require_admin(actor, action: str, model) -> None:
    perm = f"events.{action}_{model._meta.model_name}"
    if actor is None or not user_scope(actor, perm).everywhere:
        raise PermissionDenied(_("Only administrators change the alert settings."))


@transaction.atomic
def alert_settings_update(*, actor, **values) -> AlertSettings:
    """Change the global thresholds and dispatch limits; they apply to stages starting after."""
    _require_admin(actor, "change", AlertSettings)
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings {sorted(unknown)}")
    row, _created = AlertSettings.objects.select_for_update().get_or_create(pk=1)
    before = {name: getattr(row, name) for name in SETTING_FIELDS}
    after = {**before, **values}
    errors: dict[str, list[str]] = {}
    percents = tuple(after[name] for name in SETTING_FIELDS[:4])
    problem = percentage_problem(percents)
    if problem:  # at the first colour at fault
        index, message = problem
        errors[SETTING_FIELDS[index]] = [message]
    for name in SETTING_FIELDS[4:]:
        value = after[name]
        if not isinstance(value, int) or not 1 <= value <= 200:
            errors[name] = [_("A dispatch limit is 1 to 200 working hours.")]
    if errors:
        raise ValidationError(errors)
    changed = {name: [before[name], after[name]] for name in SETTING_FIELDS
               if before[name] != after[name]}  # fmt: skip
    if not changed:
        return row
    for name, value in after.items():
        setattr(row, name, value)
    row.updated_by = actor
    row.save()
    audit_record(
        actor=actor, action="alert_settings.update", target=row, detail={"changed": changed}
    )
    return row


@transaction.atomic
def unit_head_add(*, actor, unit: Unit, user) -> UnitHead:
    """Designate ``user`` as a head of ``unit`` (the yellow alerts on its work reach them)."""
    _require_admin(actor, "add", UnitHead)
    if not user.is_active:
        raise ValidationError({"user": _("%(user)s's account is not active.") % {"user": user}})
    if UnitHead.objects.filter(unit=unit, user=user).exists():
        raise ValidationError({"user": _("%(user)s already heads %(unit)s.")
                               % {"user": user, "unit": unit}})  # fmt: skip
    head = UnitHead.objects.create(unit=unit, user=user)
    audit_record(actor=actor, action="unit_head.add", target=unit, detail={"user": user.username})
    return head


@transaction.atomic
def unit_head_remove(*, actor, head: UnitHead) -> None:
    _require_admin(actor, "delete", UnitHead)
    unit, username = head.unit, head.user.username
    head.delete()
    audit_record(actor=actor, action="unit_head.remove", target=unit, detail={"user": username})
