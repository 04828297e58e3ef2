"""What every event service shares: the clock, row locks, the flow log, photos, numbers."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import DailyCounter, Event, EventPhoto, FlowEntry, Task
from events.services.guards import check_transition
from governance.images import check_image
from residents.crypto import blind_index

EARTH_RADIUS_M = 6_371_008.8


def clock(now=None):
    """``now`` if a caller (the demo, a test) gives one, else the current time."""
    return now or timezone.now()


# --- Locks ------------------------------------------------------------------------------------


def lock_event(event: Event) -> Event:
    """The event row, locked until the transaction ends (only the event row: its grid is
    joined but not locked; PostgreSQL refuses FOR UPDATE on a nullable outer join)."""
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("grid", "item_version")
        .get(pk=event.pk)
    )


def begin(
    name: str, *, event: Event, actor, now, task: Task | int | None = None, resident=False
) -> tuple[Event, Task | None]:
    """Lock the event, load the task, check the transition; return the fresh rows.

    The status the caller's ``event`` carries is what they saw: if it changed meanwhile and
    the transition is no longer possible, the refusal says someone acted first.
    """
    seen = event.status
    locked = lock_event(event)
    locked_task = None
    if task is not None:
        task_id = task.pk if isinstance(task, Task) else task
        locked_task = Task.objects.select_related("unit").filter(event=locked, pk=task_id).first()
        if locked_task is None:
            raise ValidationError({"task": _("This task does not belong to the event.")})
    check_transition(
        name,
        actor=actor,
        event=locked,
        task=locked_task,
        now=now,
        resident=resident,
        seen_status=seen,
    )
    return locked, locked_task


def sync(target: Event, source: Event) -> None:
    """Copy the saved state into the caller's instance, so it is not stale after the call."""
    if target is source:
        return
    for field in Event._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# --- The flow log -----------------------------------------------------------------------------


def actor_label(actor) -> str:
    if actor is None:
        return _("Platform")
    return actor.display_name


def log(
    event: Event,
    action: str,
    *,
    actor,
    now,
    from_status: str = "",
    task: Task | None = None,
    comment: str = "",
    data: dict | None = None,
    label: str | None = None,
) -> FlowEntry:
    """Write one immutable step of the flow log."""
    unit = task.unit if (task is not None and actor is not None and _in_unit(actor, task)) else None
    if unit is None and actor is not None:
        unit = actor.unit
    return FlowEntry.objects.create(
        event=event,
        task=task,
        action=action,
        actor=actor,
        actor_label=(label or actor_label(actor))[:60],
        actor_unit=unit,
        from_status=from_status,
        to_status=event.status,
        comment=comment,
        data=data or {},
        created_at=now,
    )


def _in_unit(actor, task: Task) -> bool:
    from events.services.guards import member_of

    return any(member_of(a, task.unit) for a in actor.loaded_role_assignments())


# --- Tracking numbers -------------------------------------------------------------------------


def next_number(now) -> str:
    """``SJ<local date>-<n>``, n counting from 1 each local day (Asia/Shanghai by default).

    The day's counter row is created if missing (a conflict-ignoring insert: two first reports
    of a day cannot both create it) and then locked, so concurrent reports queue on it.
    """
    day = timezone.localdate(now)
    DailyCounter.objects.bulk_create([DailyCounter(day=day, last=0)], ignore_conflicts=True)
    counter = DailyCounter.objects.select_for_update().get(day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SJ{day:%Y%m%d}-{counter.last:04d}"


# --- Photos -----------------------------------------------------------------------------------


def check_photos(files: Sequence, *, field: str = "photos", required: bool = False) -> list:
    """Check every uploaded file; refuse them all, naming each bad one, before anything is
    written."""
    files = [f for f in files or [] if f]
    if required and not files:
        raise ValidationError({field: _("Attach at least one photo.")})
    limit = settings.EVENT_MAX_PHOTOS
    if len(files) > limit:
        raise ValidationError({field: _("Attach at most %(n)s photos.") % {"n": limit}})
    problems, checked = [], []
    for upload in files:
        try:
            checked.append((upload, check_image(upload)))
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError({field: problems})
    return checked


def save_photos(event: Event, checked, *, kind: str, entry: FlowEntry | None, actor, now) -> list:
    """Store checked photos through the storage API and record them. The files written are
    noted, so ``files_removed_on_failure`` can delete them if the transaction fails."""
    rows = []
    for upload, info in checked:
        photo = EventPhoto(
            event=event,
            entry=entry,
            kind=kind,
            width=info.width,
            height=info.height,
            size=info.size,
            uploaded_by=actor,
            created_at=now,
        )
        upload.seek(0)
        photo.file.save(f"{uuid.uuid4().hex}.{info.extension}", upload, save=False)
        written = _written.get()
        if written is not None:
            written.append(photo.file.name)
        rows.append(photo)
    EventPhoto.objects.bulk_create(rows)
    return rows


_written: ContextVar[list[str] | None] = ContextVar("event_photos_written", default=None)


@contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Delete the photo files written inside the block if it raises (nothing half-saved)."""
    written: list[str] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    finally:
        _written.reset(token)


# --- Personal data ----------------------------------------------------------------------------


def normalise_phone(phone: str) -> str:
    return "".join(c for c in (phone or "") if c.isdigit())


def phone_hmac(phone: str) -> str:
    """A keyed hash of the full number: matchable, not readable.

    Keyed with the personal-data index key (``RESIDENTS_INDEX_KEY``), not ``SECRET_KEY``, so
    rotating the session-signing secret does not lock residents out of their reports.
    """
    return blind_index(normalise_phone(phone), purpose="event-phone")


def last4_hash(number: str, phone: str) -> str:
    """The last four digits, hashed with the event's number (the public page's proof)."""
    digits = normalise_phone(phone)[-4:]
    return blind_index(f"{number}:{digits}", purpose="event-phone-last4")


# --- Geometry ---------------------------------------------------------------------------------


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box holding every point within ``radius_m``."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng
