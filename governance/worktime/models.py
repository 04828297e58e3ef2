"""The working-time calendar: dated exceptions to Monday-Friday, and the working hours."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.worktime.choices import DayKind, DaySource
from governance.worktime.engine import DEFAULT_PERIODS


class DayOverride(models.Model):
    """A date that departs from Monday-Friday: a statutory holiday or a make-up workday (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 国庆节."))
    source = models.CharField(
        _("source"), max_length=10, choices=DaySource.choices, default=DaySource.MANUAL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                name="day_override_kind_known", condition=Q(kind__in=DayKind.values)
            ),
            models.CheckConstraint(
                name="day_override_source_known", condition=Q(source__in=DaySource.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"


def default_periods() -> list[list[str]]:
    return [[start.strftime("%H:%M"), end.strftime("%H:%M")] for start, end in DEFAULT_PERIODS]


class WorkingHours(models.Model):
    """The working periods of every working day, e.g. 08:30-12:00 and 14:00-17:30 (one row).

    Without the row the defaults apply. The periods are ``[["08:30", "12:00"], ...]`` in the
    order of the day, checked by ``worktime.services.working_hours_set``; times are in the
    TIME_ZONE setting's zone.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    periods = models.JSONField(_("working periods"), default=default_periods)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [models.CheckConstraint(name="working_hours_one_row", condition=Q(id=1))]

    def __str__(self) -> str:
        return ", ".join(f"{start}-{end}" for start, end in self.periods)


class CalendarYear(models.Model):
    """A year loaded from the chinese-calendar package: when, and from which version.

    A year is loaded automatically once (after ``migrate``); later loads of it happen only on
    request (a refill), so entries an administrator deleted stay deleted.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    package_version = models.CharField(_("package version"), max_length=20)
    loaded_at = models.DateTimeField(_("loaded"))

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
