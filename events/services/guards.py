"""Who may perform a transition: the actor's relations to an event, checked against the table
in ``events.workflow``. Refusals say why, in the user's language."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.workflow import (
    DISPATCHER_LEVEL,
    RESIDENT,
    SYSTEM,
    TRANSITIONS,
    WITH_UNITS,
    EventStatus,
    Relation,
    TaskStatus,
    performers_for,
)
from governance.accounts.roles import Role
from grids.choices import UnitKind

RELATION_LABELS = {
    Relation.AREA: gettext_lazy("in the event's area"),
    Relation.OWNER: gettext_lazy("of the centre holding the event"),
    Relation.ASSIGNEE: gettext_lazy("of the unit the task was sent to"),
    Relation.REPORTER: gettext_lazy("who filed the event"),
    Relation.RESIDENT: gettext_lazy("who gave the phone number"),
    Relation.SYSTEM: gettext_lazy("automatic"),
}


class Conflict(ValidationError):
    """Someone else changed the event between the moment the actor saw it and their action."""


def member_of(assignment, unit) -> bool:
    """Whether a role assignment makes its holder work in ``unit``."""
    if assignment.unit_id is not None and assignment.unit_id == unit.pk:
        return True
    return (
        assignment.role == Role.COMMUNITY_STAFF
        and unit.kind == UnitKind.COMMUNITY_STATION
        and assignment.area_id == unit.area_id
    )


def relations(actor, event, *, task=None, now, resident: bool = False) -> set[tuple[str, str]]:
    """Every (role, relation) the actor holds towards ``event`` (and ``task``) at ``now``."""
    if resident:
        return {(RESIDENT, Relation.RESIDENT)}
    if actor is None:
        return {(SYSTEM, Relation.SYSTEM)}
    held: set[tuple[str, str]] = set()
    owner = event.owner_at(now)
    grid_code = event.grid.code
    for assignment in actor.loaded_role_assignments():
        role = assignment.role
        area_code = assignment.area.code if assignment.area_id else None
        covers = area_code is not None and grid_code.startswith(area_code)
        if covers:
            held.add((role, Relation.AREA))
            if DISPATCHER_LEVEL.get(role) == owner:
                held.add((role, Relation.OWNER))
        if event.reporter_id is not None and event.reporter_id == actor.pk:
            held.add((role, Relation.REPORTER))
        if task is not None and member_of(assignment, task.unit):
            held.add((role, Relation.ASSIGNEE))
    return held


def _who(rows) -> str:
    names = []
    for row in rows:
        if row.role in (RESIDENT, SYSTEM):
            label = _("the resident") if row.role == RESIDENT else _("the platform")
        else:
            label = str(Role(row.role).label)
        names.append(f"{label} ({RELATION_LABELS[row.relation]})")
    return "、".join(dict.fromkeys(names))


def check_transition(
    name: str, *, actor, event, task=None, now, resident: bool = False, seen_status=None
) -> None:
    """Raise unless ``actor`` may perform transition ``name`` on ``event`` (and ``task``) now.

    ``seen_status`` is the status the actor saw; if the event moved since and the move is no
    longer possible, the refusal is a ``Conflict`` that says so.
    """
    transition = TRANSITIONS[name]
    label = transition.label
    if transition.on_task:
        if task is None:
            raise ValidationError({"task": _("Choose the task.")})
        if event.status not in WITH_UNITS:
            raise _not_now(label, event, seen_status)
        state = task.status
    else:
        state = event.status
    rows = performers_for(name, state)
    if not rows:
        if transition.on_task:
            raise ValidationError(
                _("“%(action)s” is not possible: the task is %(status)s.")
                % {"action": label, "status": TaskStatus(state).label},
                code="state",
            )
        raise _not_now(label, event, seen_status)
    held = relations(actor, event, task=task, now=now, resident=resident)
    if not any((row.role, row.relation) in held for row in rows):
        raise PermissionDenied(
            _("You may not “%(action)s” on %(number)s. Who may: %(who)s.")
            % {"action": label, "number": event.number, "who": _who(rows)}
        )


def _not_now(label, event, seen_status) -> ValidationError:
    status = EventStatus(event.status).label
    if seen_status is not None and seen_status != event.status:
        return Conflict(
            _(
                "Someone acted on %(number)s before you: it is now “%(status)s”. "
                "Reload the page to see what changed."
            )
            % {"number": event.number, "status": status},
            code="conflict",
        )
    return ValidationError(
        _("“%(action)s” is not possible while %(number)s is “%(status)s”.")
        % {"action": label, "number": event.number, "status": status},
        code="state",
    )


def allowed_transitions(actor, event, *, tasks=(), now) -> dict[str, list]:
    """For the event page: transition name -> the tasks it applies to ([None] for the event)."""
    result: dict[str, list] = {}
    for name, transition in TRANSITIONS.items():
        targets = tasks if transition.on_task else [None]
        for task in targets:
            try:
                check_transition(name, actor=actor, event=event, task=task, now=now)
            except (PermissionDenied, ValidationError):
                continue
            result.setdefault(name, []).append(task)
    return result
