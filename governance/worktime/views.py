"""The calendar pages (administrators). Thin: reads via selectors, writes via services."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from governance.scoping import perm_name
from governance.web import call_service, require_perm
from governance.worktime import selectors, services
from governance.worktime.calendar import working_periods
from governance.worktime.forms import DayOverrideForm, WorkingHoursForm
from governance.worktime.holidays import package_version, package_years, preview_year
from governance.worktime.models import DayOverride, WorkingHours

WEEKDAY_HEADERS = [
    pgettext_lazy("weekday, one letter", "Mon"),
    pgettext_lazy("weekday, one letter", "Tue"),
    pgettext_lazy("weekday, one letter", "Wed"),
    pgettext_lazy("weekday, one letter", "Thu"),
    pgettext_lazy("weekday, one letter", "Fri"),
    pgettext_lazy("weekday, one letter", "Sat"),
    pgettext_lazy("weekday, one letter", "Sun"),
]


def _checked_year(year: int) -> int:
    if not selectors.FIRST_YEAR <= year <= selectors.LAST_YEAR:
        raise Http404
    return year


def _posted(request):
    """The submitted data (an empty form too, so it is checked), or None on GET."""
    return request.POST if request.method == "POST" else None


def _may(user, model, action: str) -> bool:
    return user.has_perm(perm_name(model, action))


@require_GET
def calendar_year(request, year: int | None = None):
    """A year as twelve month grids, its entries, and the working hours."""
    require_perm(request.user, DayOverride)
    today = timezone.localdate()
    year = _checked_year(year or today.year)
    context = {
        "view": selectors.year_view(year, today=today),
        "status": selectors.calendar_status(today=today),
        "weekdays": WEEKDAY_HEADERS,
        "can_add": _may(request.user, DayOverride, "add"),
        "can_change": _may(request.user, DayOverride, "change"),
        "can_delete": _may(request.user, DayOverride, "delete"),
        "can_hours": _may(request.user, WorkingHours, "change"),
    }
    return render(request, "worktime/year.html", context)


def _day_from_query(request) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def day_create(request):
    require_perm(request.user, DayOverride, "add")
    day = _day_from_query(request)
    existing = DayOverride.objects.filter(date=day).first() if day else None
    if request.method == "GET" and existing is not None:
        return redirect("worktime:day_edit", pk=existing.pk)
    initial = {"date": day, "kind": "holiday" if day is None or day.weekday() < 5 else "workday"}
    form = DayOverrideForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        override = call_service(
            form, services.day_override_create, actor=request.user, **form.cleaned_data
        )
        if override is not None:
            messages.success(request, _("%(entry)s saved.") % {"entry": override})
            return redirect("worktime:year", year=override.date.year)
    year = (day or timezone.localdate()).year
    return render(request, "worktime/day_form.html", {"form": form, "year": year})


@require_http_methods(["GET", "POST"])
def day_edit(request, pk: int):
    require_perm(request.user, DayOverride, "change")
    override = get_object_or_404(DayOverride, pk=pk)
    initial = {"date": override.date, "kind": override.kind, "name": override.name}
    form = DayOverrideForm(_posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.day_override_update,
            actor=request.user,
            override=override,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
        )
        if saved is not None:
            messages.success(request, _("%(entry)s saved.") % {"entry": saved})
            return redirect("worktime:year", year=saved.date.year)
    return render(
        request,
        "worktime/day_form.html",
        {
            "form": form,
            "override": override,
            "year": override.date.year,
            "can_delete": _may(request.user, DayOverride, "delete"),
        },
    )


@require_http_methods(["GET", "POST"])
def day_delete(request, pk: int):
    require_perm(request.user, DayOverride, "delete")
    override = get_object_or_404(DayOverride, pk=pk)
    if request.method == "POST":
        services.day_override_delete(actor=request.user, override=override)
        messages.success(request, _("%(entry)s deleted.") % {"entry": override})
        return redirect("worktime:year", year=override.date.year)
    return render(request, "worktime/day_delete.html", {"override": override})


@require_http_methods(["GET", "POST"])
def year_refill(request, year: int):
    """Show what a refill from the package would change, and do it on confirmation."""
    require_perm(request.user, DayOverride, "change")
    year = _checked_year(year)
    error = None
    if request.method == "POST":
        try:
            (result,) = services.holidays_refill(actor=request.user, years=[year])
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _(
                    "%(year)s refilled from the chinese-calendar package: %(added)s added, "
                    "%(updated)s updated, %(removed)s removed, %(kept)s entered by hand kept."
                )
                % {
                    "year": year,
                    "added": result.added,
                    "updated": result.updated,
                    "removed": result.removed,
                    "kept": result.kept,
                },
            )
            return redirect("worktime:year", year=year)
    covered = year in package_years()
    return render(
        request,
        "worktime/refill.html",
        {
            "year": year,
            "covered": covered,
            "preview": preview_year(year) if covered else None,
            "version": package_version(),
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
def working_hours(request):
    require_perm(request.user, WorkingHours, "change")
    initial = {}
    for row, (start, end) in enumerate(working_periods(), start=1):
        initial[f"start_{row}"], initial[f"end_{row}"] = start, end
    form = WorkingHoursForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        rows = form.filled()
        try:
            services.working_hours_set(actor=request.user, periods=[(s, e) for _n, s, e in rows])
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                part, _sep, number = key.rpartition("_")
                index = int(number) - 1
                row = rows[index][0] if index < len(rows) else 1
                for error in errors:
                    form.add_error(f"{part}_{row}", error)
        else:
            messages.success(request, _("Working hours saved."))
            return redirect("worktime:year_current")
    return render(request, "worktime/hours_form.html", {"form": form, "zone": settings.TIME_ZONE})
