"""Moving a resident to another house or grid, and recording moving out (迁出), death or a
return. The target house is chosen step by step (grid → building → unit → room) from the
houses the user may move residents into; any other house is "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.web import call_service, scoped_get
from residents import selectors, services
from residents.choices import ResidentStatus
from residents.forms import MoveForm, StatusForm
from residents.models import Building, Resident

RESIDENTS = Resident.objects.select_related("grid__parent", "house__building", "household")


def _pick(queryset, value):
    """The row of ``queryset`` named by a query-string value, or None."""
    try:
        return queryset.filter(pk=int(value)).first() if value else None
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
def resident_move(request, pk):
    resident = scoped_get(request.user, RESIDENTS, pk)
    if not services.may_move(request.user, resident):
        raise PermissionDenied(_("Your role does not allow this."))
    source = request.POST if request.method == "POST" else request.GET
    grids = selectors.move_grids(request.user)
    grid = _pick(grids, source.get("grid")) or (
        grids.filter(pk=resident.grid_id).first() if "grid" not in source else None
    )
    buildings = (
        Building.objects.filter(grid=grid).order_by("name") if grid else Building.objects.none()
    )
    building = _pick(buildings, source.get("building"))
    units = list(range(1, building.units + 1)) if building else []
    unit = (
        int(source["unit"]) if source.get("unit", "").isdigit() else (1 if units == [1] else None)
    )
    houses = selectors.movable_houses(request.user)
    rooms = (
        houses.filter(building=building, unit=unit).order_by("-floor", "room")
        if building and unit
        else houses.none()
    )
    form = MoveForm(
        request.POST or None, houses=rooms,
        initial={"moved_on": timezone.localdate(), "relation": resident.relation},
    )  # fmt: skip
    if request.method == "POST":
        house = _pick(houses, request.POST.get("house"))
        if house is None:
            raise Http404(_("No such house among those you may move residents to."))
        if form.is_valid():
            data = form.cleaned_data
            moved = call_service(
                form, services.resident_move, actor=request.user, resident=resident,
                house=house, moved_on=data["moved_on"], relation=data["relation"] or None,
                new_household=data["new_household"], with_household=data["with_household"],
            )  # fmt: skip
            if moved is not None:
                messages.success(
                    request,
                    _("%(name)s moved to %(house)s.") % {"name": moved.name, "house": house},
                )
                return redirect("residents:resident_detail", pk=resident.pk)
    return render(
        request,
        "residents/resident_move.html",
        {
            "resident": resident, "form": form, "grids": grids, "grid": grid,
            "buildings": buildings, "building": building, "units": units, "unit": unit,
            "rooms": rooms,
            "household_size": Resident.objects.filter(
                household_id=resident.household_id, status=ResidentStatus.PRESENT
            ).count() if resident.household_id else 1,
        },
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def resident_status(request, pk):
    """Record moving out (with the date and where to), death (with the date), or a return."""
    resident = scoped_get(request.user, RESIDENTS, pk, "change")
    suggested = (
        ResidentStatus.MOVED_OUT
        if resident.status == ResidentStatus.PRESENT
        else ResidentStatus.PRESENT
    )
    form = StatusForm(
        request.POST or None,
        initial={"status": request.GET.get("status") or suggested, "on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.resident_set_status, actor=request.user, resident=resident,
            **form.cleaned_data,
        )  # fmt: skip
        if saved is not None:
            messages.success(
                request,
                _("%(name)s: %(status)s since %(date)s.")
                % {"name": saved.name, "status": saved.get_status_display(),
                   "date": form.cleaned_data["on"].isoformat()},
            )  # fmt: skip
            return redirect("residents:resident_detail", pk=resident.pk)
    return render(request, "residents/resident_status.html", {"resident": resident, "form": form})
