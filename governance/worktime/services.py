"""Writes to the working-time calendar. Pages and commands call these, never ``save()``.

Every write is atomic, takes the calendar's lock (the working-hours row), writes an audit row
and tells every process to rebuild its calendar once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from governance.worktime.calendar import invalidate_working_calendar
from governance.worktime.choices import DayKind, DaySource
from governance.worktime.engine import period_problems
from governance.worktime.holidays import YearLoad, package_version, package_years, sync_years
from governance.worktime.models import CalendarYear, DayOverride, WorkingHours

# Dates an administrator may enter (a typo like 2062 for 2026 is still possible, 20262 is not).
MIN_YEAR, MAX_YEAR = 1970, 2199


def _require(actor, perm: str) -> None:
    """Refuse unless ``actor`` holds ``perm``; ``None`` is the system (commands, migrations)."""
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(_("Your role does not allow this."))


def _lock_calendar() -> None:
    """Serialise calendar writes (two administrators refilling at once) on the hours row."""
    WorkingHours.objects.select_for_update().get_or_create(pk=1)


def _day_label(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _check_day(override: DayOverride) -> None:
    """Field checks first (required, lengths, choices), then the calendar's own rules."""
    override.full_clean(validate_unique=False, validate_constraints=False)
    errors: dict[str, str] = {}
    if not MIN_YEAR <= override.date.year <= MAX_YEAR:
        errors["date"] = _("Enter a date between %(first)s and %(last)s.") % {
            "first": MIN_YEAR,
            "last": MAX_YEAR,
        }
    elif override.kind == DayKind.WORKDAY and override.date.weekday() < 5:
        errors["kind"] = _(
            "%(date)s is a %(weekday)s, a working day anyway; a make-up workday falls on a "
            "Saturday or a Sunday."
        ) % {"date": _day_label(override.date), "weekday": formats.date_format(override.date, "l")}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def day_override_create(*, actor, date: date, kind: str, name: str) -> DayOverride:
    """Enter a statutory holiday or a make-up workday by hand."""
    _require(actor, "worktime.add_dayoverride")
    override = DayOverride(date=date, kind=kind, name=(name or "").strip(), source=DaySource.MANUAL)
    _check_day(override)
    _lock_calendar()
    existing = DayOverride.objects.filter(date=override.date).first()
    if existing is not None:
        raise ValidationError(
            {
                "date": _("%(date)s already has an entry (%(entry)s); change that one instead.")
                % {"date": _day_label(existing.date), "entry": existing.name}
            }
        )
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError:  # entered at the same moment by someone else (SQLite has no lock)
        raise ValidationError({"date": _("This date already has an entry.")}) from None
    audit_record(
        actor=actor,
        action="calendar.day_create",
        target=override,
        detail={"date": override.date.isoformat(), "kind": kind, "name": override.name},
    )
    invalidate_working_calendar()
    return override


@transaction.atomic
def day_override_update(*, actor, override: DayOverride, kind: str, name: str) -> DayOverride:
    """Change an entry's kind or name; a changed entry counts as made by hand from then on,
    so a refill from the package leaves it alone."""
    _require(actor, "worktime.change_dayoverride")
    _lock_calendar()
    override = DayOverride.objects.select_for_update().get(pk=override.pk)
    before = {"kind": override.kind, "name": override.name}
    override.kind, override.name = kind, (name or "").strip()
    after = {"kind": override.kind, "name": override.name}
    if after == before:
        return override
    override.source = DaySource.MANUAL
    _check_day(override)
    override.save()
    audit_record(
        actor=actor,
        action="calendar.day_update",
        target=override,
        detail={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    invalidate_working_calendar()
    return override


@transaction.atomic
def day_override_delete(*, actor, override: DayOverride) -> None:
    """Remove an entry: the date follows the Monday-Friday rule again."""
    _require(actor, "worktime.delete_dayoverride")
    _lock_calendar()
    override = DayOverride.objects.select_for_update().filter(pk=override.pk).first()
    if override is None:
        return
    audit_record(
        actor=actor,
        action="calendar.day_delete",
        target=override,
        detail={
            "date": override.date.isoformat(),
            "kind": override.kind,
            "name": override.name,
            "source": override.source,
        },
    )
    override.delete()
    invalidate_working_calendar()


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


@transaction.atomic
def working_hours_set(*, actor, periods: Sequence[tuple[time, time]]) -> WorkingHours:
    """Replace the working periods of a working day.

    A problem is reported on ``start_<n>`` or ``end_<n>``, ``n`` being the period's position
    (from 1) in ``periods``.
    """
    _require(actor, "worktime.change_workinghours")
    errors: dict[str, list[str]] = {}
    for number, field, message in period_problems(periods):
        errors.setdefault(f"{field}_{number}", []).append(message)
    for number, (start, end) in enumerate(periods, start=1):
        for field, moment in (("start", start), ("end", end)):
            if moment.second or moment.microsecond:
                errors.setdefault(f"{field}_{number}", []).append(_("Use whole minutes."))
    if errors:
        raise ValidationError(errors)
    hours, _created = WorkingHours.objects.select_for_update().get_or_create(pk=1)
    before = hours.periods
    hours.periods = [[_hhmm(start), _hhmm(end)] for start, end in periods]
    hours.save()
    if hours.periods != before:
        audit_record(
            actor=actor,
            action="calendar.hours_set",
            target=hours,
            detail={"before": before, "after": hours.periods},
        )
    invalidate_working_calendar()
    return hours


@transaction.atomic
def holidays_refill(*, actor, years: Iterable[int]) -> list[YearLoad]:
    """Make the package's entries of ``years`` match the chinese-calendar package again.

    Entries made or changed by hand are kept; entries from the package that an administrator
    deleted come back; the package's own corrections replace older package entries.
    """
    _require(actor, "worktime.change_dayoverride")
    years = sorted(set(years))
    covered = package_years()
    outside = [year for year in years if year not in covered]
    if outside:
        raise ValidationError(
            {
                "year": _(
                    "The chinese-calendar package (version %(version)s) covers %(first)s-%(last)s, "
                    "not %(years)s: enter those years by hand."
                )
                % {
                    "version": package_version(),
                    "first": covered[0],
                    "last": covered[-1],
                    "years": ", ".join(str(y) for y in outside),
                }
            }
        )
    _lock_calendar()
    results = sync_years(years)
    loaded = CalendarYear.objects.in_bulk(years)
    for result in results:
        audit_record(
            actor=actor,
            action="calendar.refill",
            target=loaded[result.year],
            detail={
                "package_version": package_version(),
                "added": result.added,
                "updated": result.updated,
                "removed": result.removed,
                "kept": result.kept,
            },
        )
    invalidate_working_calendar()
    return results
