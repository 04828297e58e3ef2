"""Who hears about each step: whoever must act next. Recipients are resolved by the worker
(the audience functions below), after the step has been committed."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from events.models import Event
from governance.accounts.models import RoleAssignment
from governance.accounts.roles import Role
from governance.notifications.services import notify
from grids.choices import CODE_LENGTH, AreaLevel, UnitKind
from grids.models import Unit

HERE = "events.services.notify."

VERBS = {
    "reported": gettext_noop("New event %(number)s (%(item)s) awaits dispatch"),
    "pending": gettext_noop("A resident reported %(number)s (%(item)s): accept or reject it"),
    "accepted": gettext_noop("Your report %(number)s was accepted"),
    "grabbed": gettext_noop("Your report %(number)s was taken up by the street"),
    "assigned": gettext_noop("Event %(number)s (%(item)s) was sent to your unit"),
    "returned": gettext_noop("Event %(number)s was returned to the district"),
    "extension_requested": gettext_noop("%(unit)s asks for more time on %(number)s"),
    "extension_decided": gettext_noop("Your extension request on %(number)s was %(decision)s"),
    "sent_back": gettext_noop("%(unit)s sent back %(number)s: route it again"),
    "handled": gettext_noop("Event %(number)s is handled: verify the result on site"),
    "verified": gettext_noop("Event %(number)s was verified: please rate the result"),
    "verification_failed": gettext_noop("The result of %(number)s failed verification"),
    "rated": gettext_noop("Event %(number)s was rated “%(rating)s”: close it"),
    "reopened": gettext_noop("Event %(number)s was reopened after an unsatisfied rating"),
    "closed": gettext_noop("Event %(number)s was closed"),
    "rejected": gettext_noop("Event %(number)s was rejected"),
    "supervised": gettext_noop("Supervision notice on %(number)s (%(item)s): %(note)s"),
}


# --- Audiences (resolved in the worker) ------------------------------------------------------


def dispatchers(*, event_id: int, level: str) -> list[int]:
    """Dispatchers of the event's street or district."""
    code = Event.objects.values_list("grid__code", flat=True).get(pk=event_id)
    role = Role.STREET_DISPATCHER if level == "street" else Role.DISTRICT_DISPATCHER
    prefix = code[: CODE_LENGTH[AreaLevel.STREET if level == "street" else AreaLevel.DISTRICT]]
    rows = RoleAssignment.objects.filter(role=role, area__code=prefix)
    return list(rows.values_list("user_id", flat=True))


def unit_members(*, unit_ids: list[int]) -> list[int]:
    """People working in the units: handlers of a department, staff of a community station."""
    stations = Unit.objects.filter(pk__in=unit_ids, kind=UnitKind.COMMUNITY_STATION)
    query = Q(unit_id__in=unit_ids) | Q(
        role=Role.COMMUNITY_STAFF, area_id__in=stations.values("area_id")
    )
    return list(RoleAssignment.objects.filter(query).values_list("user_id", flat=True))


def grid_workers(*, event_id: int) -> list[int]:
    grid_id = Event.objects.values_list("grid_id", flat=True).get(pk=event_id)
    rows = RoleAssignment.objects.filter(role=Role.GRID_WORKER, area_id=grid_id)
    return list(rows.values_list("user_id", flat=True))


# --- Sending ----------------------------------------------------------------------------------


def tell(verb: str, event: Event, *, actor, audience=None, recipients=(), **params) -> None:
    notify(
        verb=VERBS[verb],
        params={"number": event.number, "item": event.item_version.name, **params},
        url=reverse("events:detail", args=[event.pk]),
        target=event,
        actor=actor,
        audience=audience,
        recipients=recipients,
    )


def to_dispatchers(verb: str, event: Event, level: str, *, actor, **params) -> None:
    tell(
        verb,
        event,
        actor=actor,
        audience=(HERE + "dispatchers", {"event_id": event.pk, "level": level}),
        **params,
    )


def to_units(verb: str, event: Event, unit_ids, *, actor, **params) -> None:
    tell(
        verb,
        event,
        actor=actor,
        audience=(HERE + "unit_members", {"unit_ids": sorted(set(unit_ids))}),
        **params,
    )


def to_grid(verb: str, event: Event, *, actor, **params) -> None:
    tell(
        verb, event, actor=actor, audience=(HERE + "grid_workers", {"event_id": event.pk}), **params
    )


def to_reporter(verb: str, event: Event, *, actor, **params) -> None:
    if event.reporter_id:
        tell(verb, event, actor=actor, recipients=[event.reporter_id], **params)
