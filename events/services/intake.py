"""Events coming in: reports from staff and residents, routing suggestions, duplicates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.choices import OwnerLevel, PhotoKind, ResponsibleKind, Source, Urgency
from events.models import Event, ServiceItem, ServiceItemVersion
from events.services import clocks, notify
from events.services.common import (
    bounding_box,
    check_photos,
    clock,
    distance_m,
    files_removed_on_failure,
    last4_hash,
    log,
    next_number,
    normalise_phone,
    phone_hmac,
    save_photos,
)
from events.workflow import OPEN, EventStatus
from governance.scoping import perm_name, user_scope
from grids.choices import UnitKind, ancestor_codes
from grids.models import Area, Unit
from grids.spatial import grid_locator

MOBILE = re.compile(r"^1[3-9]\d{9}$")


# --- Routing help -----------------------------------------------------------------------------


def suggest_units(version: ServiceItemVersion, grid: Area) -> list[Unit]:
    """Units that fit the item and the place, best first: the named unit; the grid's community
    station; the street centre; or the departments of the item's type whose jurisdiction covers
    the grid, the most local first."""
    kind = version.responsible_kind
    if kind == ResponsibleKind.DEFAULT_UNIT and version.default_unit_id:
        return [version.default_unit]
    above = ancestor_codes(grid.code)
    units = Unit.objects.filter(is_active=True, area__code__in=above).select_related("area")
    if kind == ResponsibleKind.COMMUNITY_STATION:
        units = units.filter(kind=UnitKind.COMMUNITY_STATION)
    elif kind == ResponsibleKind.STREET_CENTRE:
        units = units.filter(kind=UnitKind.STREET_CENTRE)
    else:
        units = units.filter(kind=UnitKind.DEPARTMENT, department_type=version.department_type)
    return sorted(units, key=lambda u: (-len(u.area.code), u.name))


def covers(unit: Unit, grid: Area) -> bool:
    """Whether the unit's jurisdiction includes the grid."""
    return grid.code.startswith(unit.area.code)


# --- Duplicates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nearby:
    event: Event
    distance_m: float


def nearby_open_events(
    *, item: ServiceItem, lat: float, lng: float, radius_m: float | None = None, exclude=None
) -> list[Nearby]:
    """Open events of the same service item within the item's duplicate radius, nearest first.

    A bounding box on the indexed latitude/longitude columns narrows the rows (any database),
    then the exact great-circle distance decides.
    """
    if radius_m is None:
        radius_m = item.current.duplicate_radius_m if item.current_id else 100
    south, north, west, east = bounding_box(lat, lng, radius_m)
    rows = (
        Event.objects.filter(
            item_version__item=item,
            status__in=OPEN,
            lat__gte=south,
            lat__lte=north,
            lng__gte=west,
            lng__lte=east,
        )
        .exclude(pk=getattr(exclude, "pk", None))
        .select_related("item_version", "grid")
    )
    found = [Nearby(e, distance_m(lat, lng, e.lat, e.lng)) for e in rows[:200]]
    return sorted((n for n in found if n.distance_m <= radius_m), key=lambda n: n.distance_m)


# --- Reporting --------------------------------------------------------------------------------


def _check_report(*, item, urgency, description, lat, lng, source) -> dict:
    errors: dict[str, str] = {}
    if item is None or not item.is_active or item.current_id is None:
        errors["item"] = _("Choose an active service item.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose the urgency.")
    if source not in Source.values:
        errors["source"] = _("Choose the source.")
    if not (description or "").strip():
        errors["description"] = _("Describe the problem.")
    try:
        lat, lng = float(lat), float(lng)
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValueError
    except (TypeError, ValueError):
        errors["location"] = _("Place the event on the map (or let the browser locate you).")
    if errors:
        raise ValidationError(errors)
    return {"lat": lat, "lng": lng}


def locate_grid(lat: float, lng: float) -> Area:
    grid_id = grid_locator().locate(lng, lat)
    if grid_id is None:
        raise ValidationError({"location": _("This place lies in no grid of the territory.")})
    return Area.objects.select_related("parent__parent").get(pk=grid_id)


def event_report(
    *,
    actor,
    item: ServiceItem,
    urgency: str,
    description: str,
    lat,
    lng,
    address: str = "",
    source: str = Source.GRID_PATROL,
    photos=(),
    on_the_spot: bool = False,
    result: str = "",
    result_photos=(),
    contact_name: str = "",
    contact_phone: str = "",
    related_residents=(),
    now=None,
) -> Event:
    """File an event; it gets a tracking number and (staff) awaits dispatch, (resident) awaits
    acceptance, or (on the spot) awaits verification."""
    with files_removed_on_failure():
        return _report(
            actor=actor,
            item=item,
            urgency=urgency,
            description=description,
            lat=lat,
            lng=lng,
            address=address,
            source=source,
            photos=photos,
            on_the_spot=on_the_spot,
            result=result,
            result_photos=result_photos,
            contact_name=contact_name,
            contact_phone=contact_phone,
            related_residents=related_residents,
            now=clock(now),
        )


@transaction.atomic
def _report(
    *,
    actor,
    item,
    urgency,
    description,
    lat,
    lng,
    address,
    source,
    photos,
    on_the_spot,
    result,
    result_photos,
    contact_name,
    contact_phone,
    related_residents,
    now,
) -> Event:
    point = _check_report(
        item=item, urgency=urgency, description=description, lat=lat, lng=lng, source=source
    )
    version = item.current
    grid = locate_grid(point["lat"], point["lng"])
    phone = normalise_phone(contact_phone)
    if actor is None:
        if source != Source.RESIDENT:
            raise PermissionDenied(_("Sign in to report."))
        if not MOBILE.match(phone):
            raise ValidationError(
                {"contact_phone": _("Give an 11-digit mobile number; we only use it for this.")}
            )
    else:
        if not user_scope(actor, perm_name(Event, "add")).covers(grid.code):
            raise PermissionDenied(_("You may not report events in %(grid)s.") % {"grid": grid})
        if phone and not MOBILE.match(phone):
            raise ValidationError({"contact_phone": _("Give an 11-digit mobile number.")})
    if on_the_spot:
        if not version.on_the_spot_allowed:
            raise ValidationError(
                {"on_the_spot": _("“%(item)s” may not be handled on the spot.") % {"item": version}}
            )
        if not result.strip():
            raise ValidationError({"result": _("Describe what was done on the spot.")})
    residents = _visible_residents(actor, related_residents)
    report_photos = check_photos(photos)
    done_photos = check_photos(result_photos, field="result_photos", required=on_the_spot)

    number = next_number(now)
    status = EventStatus.PENDING if actor is None else EventStatus.REPORTED
    event = Event(
        number=number,
        item_version=version,
        urgency=urgency,
        source=source,
        description=description.strip(),
        lat=point["lat"],
        lng=point["lng"],
        grid=grid,
        address=address.strip(),
        reporter=actor,
        reporter_unit=actor.unit if actor is not None else None,
        contact_name=contact_name.strip()[:50],
        phone_hmac=phone_hmac(phone) if phone else "",
        phone_last4_hash=last4_hash(number, phone) if phone else "",
        status=status,
        owner_level=OwnerLevel.STREET,
        reported_at=now,
        grab_deadline=now + timedelta(minutes=settings.EVENT_GRAB_WINDOW_MINUTES),
        stage_started_at=now,
    )
    suggestions = suggest_units(version, grid)
    event.suggested_unit = suggestions[0] if suggestions else None
    ctx = clocks.context()
    clocks.event_clock(event, before=None, now=now, ctx=ctx)
    event.save()
    if residents:
        event.related_residents.set(residents)
    label = _("Resident") if actor is None else None
    entry = log(
        event,
        "report",
        actor=actor,
        now=now,
        comment=event.description,
        label=label,
        data={"source": source, "urgency": urgency},
    )
    save_photos(event, report_photos, kind=PhotoKind.REPORT, entry=entry, actor=actor, now=now)
    if on_the_spot:
        before = event.status
        event.status = EventStatus.HANDLED
        event.on_the_spot = True
        event.result = result.strip()
        event.handle_started_at = now
        event.verify_started_at = now
        clocks.event_clock(event, before=before, now=now, ctx=ctx)
        event.save()
        entry = log(
            event, "on_the_spot", actor=actor, now=now, from_status=before, comment=event.result
        )
        save_photos(event, done_photos, kind=PhotoKind.RESULT, entry=entry, actor=actor, now=now)
        notify.to_grid("handled", event, actor=actor)
    elif status == EventStatus.PENDING:
        notify.to_dispatchers("pending", event, "street", actor=None)
    else:
        notify.to_dispatchers("reported", event, "street", actor=actor)
    return event


def _visible_residents(actor, residents) -> list:
    """The related residents, each one the reporter may see (personal data: never link a
    person the reporter could not look up)."""
    from residents.models import Resident

    ids = sorted({getattr(r, "pk", r) for r in residents or ()})
    if not ids:
        return []
    if actor is None:
        raise ValidationError({"related_residents": _("Residents cannot link other people.")})
    found = list(Resident.objects.restrict(actor, "view").filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError(
            {"related_residents": _("Some of the residents are not in your records.")}
        )
    return found


def event_supplement(*, event: Event, actor, comment: str, photos=(), now=None) -> Event:
    """Add to an open event what another report would have said (attach instead of filing a
    duplicate): a note and photos in its flow log."""
    now = clock(now)
    with files_removed_on_failure(), transaction.atomic():
        from events.services.common import lock_event

        locked = lock_event(event)
        if not locked.is_open:
            raise ValidationError(_("%(number)s is no longer open.") % {"number": locked.number})
        if not user_scope(actor, perm_name(Event, "add")).covers(locked.grid.code):
            raise PermissionDenied(_("You may not add to events there."))
        if not (comment or "").strip() and not photos:
            raise ValidationError({"comment": _("Add a note or a photo.")})
        checked = check_photos(photos)
        entry = log(
            locked,
            "supplement",
            actor=actor,
            now=now,
            from_status=locked.status,
            comment=(comment or "").strip(),
        )
        save_photos(locked, checked, kind=PhotoKind.SUPPLEMENT, entry=entry, actor=actor, now=now)
        return locked
