"""Transitions at the dispatch centres: accept, reject, grab, split, joint, dispatch, return,
re-route. Each one is atomic, locks the event row, checks ``events.workflow``, writes the flow
log and notifies on commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.choices import OwnerLevel
from events.models import Event, Task
from events.services import clocks, notify
from events.services.common import begin, clock, log, sync
from events.services.intake import covers
from events.workflow import OPEN, EventStatus, TaskStatus
from grids.choices import CODE_LENGTH, AreaLevel, UnitKind
from grids.models import Unit

# Units that handle tasks (the dispatch centres route, they do not receive tasks).
HANDLING_KINDS = (UnitKind.DEPARTMENT, UnitKind.COMMUNITY_STATION, UnitKind.MEDIATION_BODY)


@transaction.atomic
def event_accept(*, event: Event, actor, comment: str = "", now=None) -> Event:
    """Accept a resident's report: it now awaits dispatch, and the grab window starts."""
    from datetime import timedelta

    from django.conf import settings

    now = clock(now)
    locked, _task = begin("accept", event=event, actor=actor, now=now)
    before = locked.status
    locked.status = EventStatus.REPORTED
    locked.grab_deadline = now + timedelta(minutes=settings.EVENT_GRAB_WINDOW_MINUTES)
    clocks.event_clock(locked, before=before, now=now)
    locked.save()
    log(locked, "accept", actor=actor, now=now, from_status=before, comment=comment)
    notify.to_dispatchers("reported", locked, "street", actor=actor)
    sync(event, locked)
    return locked


@transaction.atomic
def event_reject(
    *, event: Event, actor, reason: str, duplicate_of: Event | None = None, now=None
) -> Event:
    """Reject an invalid report, or close it as a duplicate of ``duplicate_of`` (linked both
    ways: the duplicate points at the original, whose flow log names the duplicate)."""
    now = clock(now)
    locked, _task = begin("reject", event=event, actor=actor, now=now)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the report is rejected.")})
    original = None
    if duplicate_of is not None:
        original = Event.objects.select_for_update(of=("self",)).get(pk=duplicate_of.pk)
        if original.pk == locked.pk:
            raise ValidationError({"duplicate_of": _("An event cannot duplicate itself.")})
        if original.status not in OPEN and original.status != EventStatus.CLOSED:
            raise ValidationError(
                {"duplicate_of": _("%(number)s was itself rejected.") % {"number": original}}
            )
        if original.duplicate_of_id is not None:
            raise ValidationError(
                {
                    "duplicate_of": _("%(number)s is itself a duplicate of %(other)s.")
                    % {"number": original, "other": original.duplicate_of}
                }
            )
    before = locked.status
    locked.status = EventStatus.REJECTED
    locked.duplicate_of = original
    locked.closed_at = now
    clocks.event_clock(locked, before=before, now=now)
    locked.save()
    data = {"duplicate_of": original.number} if original else {}
    log(
        locked,
        "reject",
        actor=actor,
        now=now,
        from_status=before,
        comment=reason.strip(),
        data=data,
    )
    if original is not None:
        log(
            original,
            "duplicate_linked",
            actor=actor,
            now=now,
            from_status=original.status,
            comment=_("%(number)s was closed as a duplicate of this event.")
            % {"number": locked.number},
            data={"duplicate": locked.number},
        )
    notify.to_reporter("rejected", locked, actor=actor)
    sync(event, locked)
    return locked


@transaction.atomic
def event_grab(*, event: Event, actor, now=None) -> Event:
    """The street takes an event of its own street within the grab window (抢单)."""
    now = clock(now)
    locked, _task = begin("grab", event=event, actor=actor, now=now)
    before = locked.status
    locked.status = EventStatus.GRABBED
    locked.owner_level = OwnerLevel.STREET
    clocks.event_clock(locked, before=before, now=now)  # the dispatch clock runs on
    locked.save()
    log(locked, "grab", actor=actor, now=now, from_status=before)
    notify.to_reporter("grabbed", locked, actor=actor)
    sync(event, locked)
    return locked


def _check_units(event: Event, units, lead, *, street_level: bool) -> tuple[list[Unit], Unit]:
    units = list(dict.fromkeys(units or []))
    if not units:
        raise ValidationError({"to_units": _("Choose the unit(s) to send the event to.")})
    problems = []
    for unit in units:
        if not unit.is_active or unit.kind not in HANDLING_KINDS:
            problems.append(_("%(unit)s does not handle tasks.") % {"unit": unit})
        elif not covers(unit, event.grid):
            problems.append(
                _("%(unit)s has no jurisdiction over %(grid)s.")
                % {"unit": unit, "grid": event.grid.name}
            )
        elif street_level and len(unit.area.code) < CODE_LENGTH[AreaLevel.STREET]:
            problems.append(
                _("%(unit)s is a district unit: return the event to the district instead.")
                % {"unit": unit}
            )
    if problems:
        raise ValidationError({"to_units": problems})
    if len(units) == 1:
        lead = units[0]
    elif lead is None or lead not in units:
        raise ValidationError({"lead": _("Choose which of the units leads.")})
    return units, lead


def _send(locked: Event, *, actor, units, lead, mode: str, instructions: str, now) -> Event:
    """Create one task per unit (the lead flagged), supersede sent-back tasks, log, notify."""
    before = locked.status
    sent_back = locked.tasks.filter(status=TaskStatus.SENT_BACK, rerouted=False)
    sent_back.update(rerouted=True)
    live_lead = locked.tasks.filter(
        is_lead=True, status__in=[TaskStatus.AWAITING_SIGN, TaskStatus.IN_PROGRESS, TaskStatus.DONE]
    ).exists()
    ctx = clocks.context()
    tasks = [
        Task(
            event=locked,
            unit=unit,
            is_lead=(unit == lead and not live_lead),
            dispatched_by=actor,
            instructions=instructions.strip(),
            sign_started_at=now,
        )
        for unit in units
    ]
    for task in tasks:
        clocks.task_clock(task, event=locked, now=now, ctx=ctx)
    Task.objects.bulk_create(tasks)
    locked.status = EventStatus.DISPATCHED
    locked.dispatched_at = now
    clocks.event_clock(locked, before=before, now=now, ctx=ctx)
    locked.save()
    log(
        locked,
        mode,
        actor=actor,
        now=now,
        from_status=before,
        comment=instructions.strip(),
        data={"units": [u.name for u in units], "lead": lead.name},
    )
    notify.to_units("assigned", locked, [u.pk for u in units], actor=actor)
    return locked


@transaction.atomic
def event_split(*, event: Event, actor, to_unit: Unit, instructions: str = "", now=None) -> Event:
    """The street sends an ordinary matter down to a community or a street-level unit (分单)."""
    now = clock(now)
    locked, _task = begin("split", event=event, actor=actor, now=now)
    units, lead = _check_units(locked, [to_unit] if to_unit else [], None, street_level=True)
    _send(
        locked,
        actor=actor,
        units=units,
        lead=lead,
        mode="split",
        instructions=instructions,
        now=now,
    )
    sync(event, locked)
    return locked


@transaction.atomic
def event_joint(
    *, event: Event, actor, to_units, lead: Unit, instructions: str = "", now=None
) -> Event:
    """Summon several units at once, one leading (联单, 吹哨报到); the event is handled when
    every unit is done."""
    now = clock(now)
    locked, _task = begin("joint", event=event, actor=actor, now=now)
    if len(set(to_units or [])) < 2:
        raise ValidationError({"to_units": _("A joint summons names at least two units.")})
    by_street = locked.owner_at(now) == OwnerLevel.STREET
    if by_street and not locked.item_version.joint_allowed:
        raise ValidationError(
            {
                "to_units": _("The street may not summon units jointly for “%(item)s”.")
                % {"item": locked.item_version.name}
            }
        )
    units, lead = _check_units(locked, to_units, lead, street_level=False)
    _send(
        locked,
        actor=actor,
        units=units,
        lead=lead,
        mode="joint",
        instructions=instructions,
        now=now,
    )
    sync(event, locked)
    return locked


@transaction.atomic
def event_dispatch(
    *, event: Event, actor, to_units, lead: Unit | None = None, instructions: str = "", now=None
) -> Event:
    """The district assigns what no street grabbed, or what a street returned (派单)."""
    now = clock(now)
    locked, _task = begin("dispatch", event=event, actor=actor, now=now)
    units, lead = _check_units(locked, to_units, lead, street_level=False)
    locked.owner_level = OwnerLevel.DISTRICT
    _send(
        locked,
        actor=actor,
        units=units,
        lead=lead,
        mode="dispatch",
        instructions=instructions,
        now=now,
    )
    sync(event, locked)
    return locked


@transaction.atomic
def event_return(*, event: Event, actor, reason: str, now=None) -> Event:
    """The street sends a hard case up to the district (返单)."""
    now = clock(now)
    locked, _task = begin("return", event=event, actor=actor, now=now)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the district should take it.")})
    before = locked.status
    locked.tasks.filter(status=TaskStatus.SENT_BACK, rerouted=False).update(rerouted=True)
    locked.status = EventStatus.RETURNED
    locked.owner_level = OwnerLevel.DISTRICT
    clocks.event_clock(locked, before=before, now=now, restart=True)  # a new holder's clock
    locked.save()
    log(locked, "return", actor=actor, now=now, from_status=before, comment=reason.strip())
    notify.to_dispatchers("returned", locked, "district", actor=actor)
    sync(event, locked)
    return locked


@transaction.atomic
def event_reassign(
    *, event: Event, actor, task: Task | int, to_unit: Unit, instructions: str = "", now=None
) -> Event:
    """Send a task that its unit sent back to another unit; the other tasks go on."""
    now = clock(now)
    locked, _task = begin("reassign", event=event, actor=actor, now=now)
    task_id = task.pk if isinstance(task, Task) else task
    old = locked.tasks.filter(pk=task_id).select_related("unit").first()
    if old is None or old.status != TaskStatus.SENT_BACK or old.rerouted:
        raise ValidationError({"task": _("Only a task sent back and not yet re-routed can be.")})
    units, _lead = _check_units(locked, [to_unit] if to_unit else [], None, street_level=False)
    if units[0].pk == old.unit_id:
        raise ValidationError({"to_unit": _("Choose another unit than the one that sent it back.")})
    old.rerouted = True
    old.save(update_fields=["rerouted"])
    live_lead = locked.tasks.filter(
        is_lead=True, status__in=[TaskStatus.AWAITING_SIGN, TaskStatus.IN_PROGRESS, TaskStatus.DONE]
    ).exists()
    new = Task(
        event=locked,
        unit=units[0],
        is_lead=old.is_lead and not live_lead,
        dispatched_by=actor,
        instructions=instructions.strip(),
        sign_started_at=now,
    )
    clocks.task_clock(new, event=locked, now=now)
    new.save()
    before = locked.status
    from events.services.handling import settle

    settle(locked, now=now)
    if locked.status == before == EventStatus.SENT_BACK:  # pragma: no cover - settle moves it
        locked.save()
    log(
        locked,
        "reassign",
        actor=actor,
        now=now,
        from_status=before,
        comment=instructions.strip(),
        data={"from": old.unit.name, "units": [units[0].name]},
    )
    notify.to_units("assigned", locked, [units[0].pk], actor=actor)
    sync(event, locked)
    return locked
