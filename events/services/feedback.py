"""Feedback and evaluation: verification on site, the reporter's rating, closing (by hand or
automatically without a rating), reopening after an unsatisfied rating."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.choices import CLOSING_ORDER, ClosingLevel, OwnerLevel, PhotoKind, Rating
from events.models import Event
from events.services import clocks, notify
from events.services.common import (
    begin,
    check_photos,
    clock,
    files_removed_on_failure,
    log,
    save_photos,
    sync,
)
from events.workflow import EventStatus, TaskStatus
from governance.accounts.roles import Role

# The closing level each role closes at.
CLOSER_LEVEL = {
    Role.COMMUNITY_STAFF: ClosingLevel.COMMUNITY,
    Role.STREET_DISPATCHER: ClosingLevel.STREET,
    Role.DISTRICT_DISPATCHER: ClosingLevel.DISTRICT,
}


def _reopen_handling(locked: Event, *, now) -> None:
    """Start another round of handling: the units that were done work again. An event handled
    on the spot has no unit yet: it goes back to its street for dispatch. Each starts a new
    round of its clock (the units' handling clock, or the street's dispatch clock)."""
    before = locked.status
    done = list(locked.tasks.filter(status=TaskStatus.DONE))
    if done:
        ctx = clocks.context()
        for task in done:
            task.status = TaskStatus.IN_PROGRESS
            task.finished_at = None
            task.handle_started_at = now
            clocks.task_clock(task, event=locked, now=now, ctx=ctx)
            task.save()
        locked.status = EventStatus.IN_PROGRESS
        locked.handle_started_at = now
    else:
        locked.status = EventStatus.REPORTED
        locked.owner_level = OwnerLevel.STREET
        locked.grab_deadline = now + timedelta(minutes=settings.EVENT_GRAB_WINDOW_MINUTES)
    locked.verify_started_at = None
    locked.evaluate_started_at = None
    clocks.event_clock(locked, before=before, now=now)


def event_verify(
    *, event: Event, actor, passed: bool, note: str = "", photos=(), now=None
) -> Event:
    """A grid worker of the event's grid checks the result on site (核查): confirmed, it awaits
    the reporter's rating; rejected, the units work on it again."""
    now = clock(now)
    name = "verify" if passed else "fail_verification"
    with files_removed_on_failure(), transaction.atomic():
        locked, _task = begin(name, event=event, actor=actor, now=now)
        if not passed and not (note or "").strip():
            raise ValidationError({"note": _("Say what is still wrong.")})
        checked = check_photos(photos, required=settings.EVENT_VERIFY_PHOTO_REQUIRED)
        before = locked.status
        if passed:
            locked.status = EventStatus.VERIFIED
            locked.evaluate_started_at = now
            clocks.event_clock(locked, before=before, now=now)
        else:
            _reopen_handling(locked, now=now)
        locked.save()
        entry = log(
            locked, name, actor=actor, now=now, from_status=before, comment=(note or "").strip()
        )
        save_photos(locked, checked, kind=PhotoKind.VERIFICATION, entry=entry, actor=actor, now=now)
        if passed:
            notify.to_reporter("verified", locked, actor=actor)
        else:
            units = list(
                locked.tasks.filter(status=TaskStatus.IN_PROGRESS).values_list("unit_id", flat=True)
            )
            if units:
                notify.to_units("verification_failed", locked, units, actor=actor)
            else:
                notify.to_dispatchers("reported", locked, "street", actor=actor)
        sync(event, locked)
        return locked


@transaction.atomic
def event_rate(
    *, event: Event, actor, rating: str, comment: str = "", resident: bool = False, now=None
) -> Event:
    """The reporter rates the result. Unsatisfied reopens the event for another round
    (counted); otherwise it waits for its dispatcher to close it."""
    now = clock(now)
    if rating not in (Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNSATISFIED):
        raise ValidationError({"rating": _("Choose a rating.")})
    name = "reopen" if rating == Rating.UNSATISFIED else "rate"
    locked, _task = begin(name, event=event, actor=actor, now=now, resident=resident)
    if locked.rating:
        raise ValidationError(_("%(number)s has already been rated.") % {"number": locked})
    if rating == Rating.UNSATISFIED and not (comment or "").strip():
        raise ValidationError({"comment": _("Tell us what is not solved.")})
    before = locked.status
    label = _("Resident") if resident else None
    if rating == Rating.UNSATISFIED:
        locked.reopen_count += 1
        _reopen_handling(locked, now=now)
        locked.save()
        log(
            locked,
            "reopen",
            actor=actor,
            now=now,
            from_status=before,
            label=label,
            comment=comment.strip(),
            data={"rating": rating},
        )
        units = list(
            locked.tasks.filter(status=TaskStatus.IN_PROGRESS).values_list("unit_id", flat=True)
        )
        if units:
            notify.to_units("reopened", locked, units, actor=actor)
        notify.to_dispatchers("reopened", locked, locked.owner_level, actor=actor)
    else:
        locked.rating = rating
        locked.rating_comment = (comment or "").strip()
        locked.rated_at = now
        locked.save()
        log(
            locked,
            "rate",
            actor=actor,
            now=now,
            from_status=before,
            label=label,
            comment=locked.rating_comment,
            data={"rating": rating},
        )
        notify.to_dispatchers(
            "rated", locked, locked.owner_level, actor=actor, rating=str(Rating(rating).label)
        )
    sync(event, locked)
    return locked


@transaction.atomic
def event_close(*, event: Event, actor, comment: str = "", now=None) -> Event:
    """Close a verified and rated event (结案), at or above the item's closing level."""
    now = clock(now)
    locked, _task = begin("close", event=event, actor=actor, now=now)
    required = locked.item_version.closing_level
    levels = {
        CLOSER_LEVEL[a.role]
        for a in actor.loaded_role_assignments()
        if a.role in CLOSER_LEVEL and a.area_id and locked.grid.code.startswith(a.area.code)
    }
    if not any(CLOSING_ORDER.index(lv) >= CLOSING_ORDER.index(required) for lv in levels):
        raise PermissionDenied(
            _("“%(item)s” is closed at %(level)s level or above.")
            % {"item": locked.item_version.name, "level": ClosingLevel(required).label}
        )
    if not locked.rating:
        raise ValidationError(
            _(
                "Wait for the reporter's rating; without one, %(number)s closes by itself "
                "%(days)s days after verification."
            )
            % {"number": locked.number, "days": settings.EVENT_AUTO_CLOSE_DAYS}
        )
    before = locked.status
    locked.status = EventStatus.CLOSED
    locked.closed_at = now
    clocks.event_clock(locked, before=before, now=now)
    locked.save()
    log(locked, "close", actor=actor, now=now, from_status=before, comment=(comment or "").strip())
    notify.to_reporter("closed", locked, actor=actor)
    sync(event, locked)
    return locked


@transaction.atomic
def event_auto_close(*, event: Event, now=None) -> Event:
    """Close an event nobody rated within ``EVENT_AUTO_CLOSE_DAYS`` of its verification,
    recorded as "not rated" (never as satisfied)."""
    now = clock(now)
    locked, _task = begin("auto_close", event=event, actor=None, now=now)
    due = locked.evaluate_started_at + timedelta(days=settings.EVENT_AUTO_CLOSE_DAYS)
    if locked.rating or now < due:
        raise ValidationError(
            _("%(number)s is not due for automatic closing.") % {"number": locked}
        )
    before = locked.status
    locked.status = EventStatus.CLOSED
    locked.rating = Rating.NOT_RATED
    locked.closed_at = now
    clocks.event_clock(locked, before=before, now=now)
    locked.save()
    log(
        locked,
        "auto_close",
        actor=None,
        now=now,
        from_status=before,
        data={"days": settings.EVENT_AUTO_CLOSE_DAYS},
    )
    sync(event, locked)
    return locked


def auto_close_unrated(*, now=None) -> int:
    """Close every verified event whose rating did not come in time; returns how many."""
    now = clock(now)
    cutoff = now - timedelta(days=settings.EVENT_AUTO_CLOSE_DAYS)
    due = Event.objects.filter(
        status=EventStatus.VERIFIED, rating="", evaluate_started_at__lte=cutoff
    ).values_list("pk", flat=True)
    closed = 0
    for pk in list(due[:1000]):
        try:
            event_auto_close(event=Event(pk=pk, status=EventStatus.VERIFIED), now=now)
        except ValidationError:  # rated or reopened meanwhile
            continue
        closed += 1
    return closed
