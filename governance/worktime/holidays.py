"""The chinese-calendar package as the source of statutory holidays and make-up workdays.

The package (``chinesecalendar`` on PyPI, imported as ``chinese_calendar``) lists the State
Council's holiday arrangements for the years it covers (2004-2026 in version 1.11). Its
entries are copied into ``DayOverride`` rows marked ``source=package``:

- automatically, after every ``migrate`` (a ``post_migrate`` handler, like Django's own
  content types and permissions), for each covered year not loaded before; a year is loaded
  once, so what an administrator deletes stays deleted, and a newer package's new years
  arrive with the next deployment's ``migrate``;
- on request, as a *refill* of chosen years (the staff page, ``manage.py load_holidays``),
  which makes the package's rows of those years match the package again.

Neither ever touches an entry entered or edited by hand (``source=manual``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from django.apps import apps as global_apps
from django.db import transaction
from django.utils import timezone

from governance.worktime.choices import DayKind, DaySource

logger = logging.getLogger(__name__)


@cache
def package_version() -> str:
    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover - the package is a dependency
        return "?"


@cache
def _package_entries() -> dict[date, tuple[str, str]]:
    from chinese_calendar.constants import Holiday, holidays, workdays

    chinese = {holiday.value: holiday.chinese for holiday in Holiday}
    entries = {day: (DayKind.HOLIDAY.value, chinese.get(n, n)) for day, n in holidays.items()}
    entries.update({day: (DayKind.WORKDAY.value, chinese.get(n, n)) for day, n in workdays.items()})
    return entries


def package_years() -> list[int]:
    """The years the installed package covers."""
    return sorted({day.year for day in _package_entries()})


def package_days(year: int) -> dict[date, tuple[str, str]]:
    """The package's entries of ``year``: ``{date: (kind, Chinese name)}``."""
    return {day: entry for day, entry in _package_entries().items() if day.year == year}


@dataclass(frozen=True)
class YearLoad:
    """What loading one year from the package changed."""

    year: int
    added: int
    updated: int
    removed: int
    kept: int  # entries made by hand on dates the package also lists, left alone

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class _Plan:
    added: list
    updated: list
    stale: list
    kept: int


def _plan(year: int, existing: dict, day_model) -> _Plan:
    """What a refill of ``year`` would change, given its rows ``{date: row}``."""
    wanted = package_days(year)
    plan = _Plan(added=[], updated=[], stale=[], kept=0)
    for day, (kind, name) in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            plan.added.append(day_model(date=day, kind=kind, name=name, source=DaySource.PACKAGE))
        elif row.source == DaySource.MANUAL:
            plan.kept += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            plan.updated.append(row)
    plan.stale = [
        row.pk
        for day, row in existing.items()
        if row.source == DaySource.PACKAGE and day not in wanted
    ]
    return plan


def preview_year(year: int) -> YearLoad:
    """What a refill of ``year`` would change, without changing anything."""
    from governance.worktime.models import DayOverride

    existing = {row.date: row for row in DayOverride.objects.filter(date__year=year)}
    plan = _plan(year, existing, DayOverride)
    return YearLoad(year, len(plan.added), len(plan.updated), len(plan.stale), plan.kept)


def sync_years(years, *, using: str = "default", day_model=None, year_model=None) -> list[YearLoad]:
    """Make the package's rows of each year match the package; hand-made rows stay as they are.

    Runs in the caller's transaction. ``day_model`` and ``year_model`` default to the real
    models; the ``post_migrate`` handler passes the migration state's.
    """
    from governance.worktime.models import CalendarYear, DayOverride

    day_model = day_model or DayOverride
    year_model = year_model or CalendarYear
    rows = day_model.objects.using(using)
    loaded_at = timezone.now()
    results = []
    for year in sorted(set(years)):
        existing = {row.date: row for row in rows.filter(date__year=year)}
        plan = _plan(year, existing, day_model)
        for row in plan.updated:
            row.updated_at = loaded_at
        rows.bulk_create(plan.added)
        rows.bulk_update(plan.updated, ["kind", "name", "updated_at"])
        rows.filter(pk__in=plan.stale).delete()
        year_model.objects.using(using).update_or_create(
            year=year,
            defaults={"package_version": package_version(), "loaded_at": loaded_at},
        )
        results.append(
            YearLoad(year, len(plan.added), len(plan.updated), len(plan.stale), plan.kept)
        )
    return results


def years_not_loaded(*, using: str = "default", year_model=None) -> list[int]:
    """Covered years the database has never loaded from the package."""
    from governance.worktime.models import CalendarYear

    year_model = year_model or CalendarYear
    loaded = set(year_model.objects.using(using).values_list("year", flat=True))
    return [year for year in package_years() if year not in loaded]


def load_after_migrate(
    sender, *, using: str, apps=global_apps, verbosity: int = 1, **kwargs
) -> None:
    """``post_migrate`` (after ``migrate`` and ``flush``): load the covered years this
    database has not loaded yet."""
    try:
        day_model = apps.get_model("worktime", "DayOverride")
        year_model = apps.get_model("worktime", "CalendarYear")
    except LookupError:  # migrating backwards, or the tables do not exist yet
        return
    with transaction.atomic(using=using):
        years = years_not_loaded(using=using, year_model=year_model)
        results = sync_years(years, using=using, day_model=day_model, year_model=year_model)
    if not results:
        return
    from governance.worktime.calendar import announce_change

    announce_change()
    if verbosity >= 2:
        print(  # noqa: T201 (migrate's own style of progress output)
            f"Loaded holidays of {len(results)} years from chinese-calendar {package_version()}"
        )
