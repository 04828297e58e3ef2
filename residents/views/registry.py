"""Registry pages. Thin: scoping through governance.web, reads through selectors, writes
through services. Built phone-first for the grid worker: my grids → a grid's buildings (map and
list) → a building floor by floor → a house → its residents."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.excel import XLSX_CONTENT_TYPE, write_xlsx
from governance.scoping import object_allowed, perm_name
from governance.web import call_service, paginate, require_perm, scoped_get
from grids.choices import AreaLevel
from grids.models import Area
from residents import selectors, services
from residents.choices import (
    DOCUMENT_ZH,
    ETHNICITY_ZH,
    REGISTRATION_ZH,
    RELATION_ZH,
    DueState,
    ProtectedField,
    ResidentStatus,
    VenueType,
)
from residents.forms import (
    BuildingForm,
    EndForm,
    HouseForm,
    ImportForm,
    InspectionForm,
    MembershipForm,
    RentalForm,
    ResidentFilterForm,
    ResidentForm,
    RevealForm,
    VenueForm,
    VenueInspectionForm,
)
from residents.models import (
    AccessLog,
    Building,
    CareGroup,
    CareMembership,
    House,
    Household,
    Rental,
    Resident,
    Venue,
    VenueInspection,
    Visit,
)
from residents.models.care import care_visibility_q, visible_group_ids
from residents.services.importer import (
    HEADERS,
    OPTIONAL_HEADERS,
    OVERSEAS_HEADERS,
    OVERSEAS_WIDTHS,
    WIDTHS,
)

PER_PAGE = 30
# Form fields holding personal data: hidden from error reports (Django's exception filter).
PROTECTED_INPUTS = ("id_number", "phone", "landlord_phone", "landlord_id_number",
                    "contact_phone", "q")  # fmt: skip


def _may(user, model, action: str) -> bool:
    return user.has_perm(perm_name(model, action))


def _grids(user, action: str = "view"):
    return (
        Area.objects.restrict(user, action)
        .filter(level=AreaLevel.GRID, is_active=True)
        .order_by("code")
    )


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --- Residents -------------------------------------------------------------------------------

RESIDENTS = Resident.objects.select_related("grid__parent", "house__building", "household__head")


@sensitive_post_parameters(*PROTECTED_INPUTS)
@require_http_methods(["GET", "POST"])
def resident_list(request):
    """Search and list residents (masked). With htmx, only the results are re-rendered.

    The search box posts its query: an ID number or a phone never goes into a URL (server
    logs, browser history). Other searches are redirected to (or pushed as) a GET address,
    so they can be paged and bookmarked.
    """
    require_perm(request.user, Resident)
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "").strip()
    sensitive = selectors.is_sensitive_query(query)
    if request.method == "GET" and sensitive:
        messages.warning(
            request, _("Search ID numbers and phones with the search box, not in the address.")
        )
        data = data.copy()
        data.pop("q")
        query = ""
    params = {k: v for k, v in data.items() if k in ("q", "grid", "status", "registration_type")}
    address = f"{request.path}?{urlencode({k: v for k, v in params.items() if v})}"
    if request.method == "POST" and not sensitive and not request.htmx:
        return redirect(address)
    form = ResidentFilterForm(
        data or None, grids=_grids(request.user), initial={"status": ResidentStatus.PRESENT}
    )
    filters = form.filters() if data else {"status": ResidentStatus.PRESENT}
    residents = selectors.residents_for(request.user, query=query, filters=filters)
    if sensitive:  # answer without writing the number back into the page
        shown = data.copy()
        shown["q"] = ""
        form = ResidentFilterForm(shown, grids=_grids(request.user))
        form.is_valid()
    context = {
        "form": form,
        "page": paginate(request, residents, PER_PAGE),
        "query": "" if sensitive else query,
        "params": {k: v for k, v in params.items() if not (sensitive and k == "q")},
        "paging": "" if sensitive else urlencode({k: v for k, v in params.items() if v}),
        "sensitive": sensitive,
        "can_import": _may(request.user, Resident, "import"),
        "can_export": services.may_export(request.user),
    }
    if request.htmx:
        response = render(request, "residents/_resident_results.html", context)
        if not sensitive:
            response["HX-Push-Url"] = address
        return response
    return render(request, "residents/resident_list.html", context)


@require_GET
def resident_detail(request, pk):
    resident = scoped_get(request.user, RESIDENTS, pk)
    memberships = (
        CareMembership.objects.restrict(request.user, "view")
        .filter(resident=resident)
        .select_related("group")
        .order_by("ended_on", "next_due_on")
    )
    household = (
        list(resident.household.members.order_by("relation", "name"))
        if resident.household_id
        else []
    )
    return render(
        request,
        "residents/resident_detail.html",
        {
            "resident": resident,
            "household": household,
            "memberships": memberships,
            "rentals": resident.tenancies.select_related("house__building"),
            "can_change": object_allowed(request.user, resident, "change"),
            "can_reveal": services.may_reveal(request.user, resident),
            "can_enrol": object_allowed(request.user, CareMembership(resident=resident), "add"),
            "can_move": services.may_move(request.user, resident),
            "reveal_form": RevealForm(),
            "today": timezone.localdate(),
        },
    )


def _house_for_add(user, pk) -> House:
    house = scoped_get(user, House.objects.select_related("building__grid"), pk)
    if not object_allowed(user, Resident(grid=house.building.grid), "add"):
        raise PermissionDenied(_("Your role does not allow this."))
    return house


@sensitive_post_parameters(*PROTECTED_INPUTS)
@require_http_methods(["GET", "POST"])
def resident_create(request, house_pk):
    """Add a resident to a house; every problem shows at its field before anything is saved."""
    house = _house_for_add(request.user, house_pk)
    form = ResidentForm(request.POST or None, initial={"moved_in_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        resident = call_service(
            form, services.resident_create, actor=request.user, house=house, **data
        )
        if resident is not None:
            messages.success(request, _("%(name)s registered.") % {"name": resident.name})
            if "add_another" in request.POST:
                return redirect("residents:resident_create", house_pk=house.pk)
            return redirect("residents:house_detail", pk=house.pk)
    return render(request, "residents/resident_form.html", {"form": form, "house": house})


@sensitive_post_parameters(*PROTECTED_INPUTS)
@require_http_methods(["GET", "POST"])
def resident_edit(request, pk):
    """Edit the record; moving, moving out and death have their own pages (linked here)."""
    resident = scoped_get(request.user, RESIDENTS, pk, "change")
    fields = ("name", "document_type", "nationality", "sex", "birth_date", "ethnicity",
              "registration_type", "relation", "moved_in_on", "notes")  # fmt: skip
    initial = {name: getattr(resident, name) for name in fields}
    form = ResidentForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if not changes.get("id_number"):
            changes.pop("id_number", None)
        if not changes.get("phone"):
            changes.pop("phone", None)
        saved = call_service(
            form, services.resident_update, actor=request.user, resident=resident, **changes
        )
        if saved is not None:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("residents:resident_detail", pk=resident.pk)
    return render(
        request,
        "residents/resident_form.html",
        {"form": form, "resident": resident, "house": resident.house,
         "can_move": services.may_move(request.user, resident)},
    )  # fmt: skip


# --- Reveal ----------------------------------------------------------------------------------

REVEAL_MODELS = {
    "resident": (Resident.objects.select_related("grid"), "residents:resident_detail"),
    "rental": (Rental.objects.select_related("house__building__grid"), "residents:rental_detail"),
    "venue": (Venue.objects.select_related("grid"), "residents:venue_detail"),
}


@never_cache
@require_POST
def reveal(request, kind, pk):
    """Show one protected value in full, after a reason; logged. With htmx, only the value's
    place in the page is replaced; the value never goes into a URL."""
    if kind not in REVEAL_MODELS:
        raise Http404
    queryset, detail_url = REVEAL_MODELS[kind]
    obj = scoped_get(request.user, queryset, pk)
    form = RevealForm(request.POST)
    value = None
    if form.is_valid():
        value = call_service(
            form, services.reveal, actor=request.user, obj=obj, field=form.cleaned_data["field"],
            reason=form.cleaned_data["reason"], ip_address=_ip(request),
        )  # fmt: skip
    context = {
        "obj": obj, "kind": kind, "form": form, "value": value,
        "field": request.POST.get("field", ""),
        "label": dict(ProtectedField.choices).get(request.POST.get("field"), ""),
    }  # fmt: skip
    if request.htmx:
        response = render(request, "residents/_revealed.html", context)
    else:
        response = render(request, "residents/reveal.html", {**context, "back": detail_url})
    return response


# --- Territory: grids, buildings, houses -----------------------------------------------------


@require_GET
def grid_list(request):
    require_perm(request.user, Building)
    summaries = selectors.grid_summaries(request.user)
    return render(request, "residents/grid_list.html", {"rows": summaries})


@require_GET
def grid_detail(request, pk):
    require_perm(request.user, Building)
    grid = scoped_get(request.user, Area.objects.select_related("parent"), pk)
    if grid.level != AreaLevel.GRID:
        raise Http404
    buildings = list(selectors.buildings_of(grid))
    points = [
        {"name": b.name, "lat": b.lat, "lng": b.lng, "houses": b.house_count,
         "residents": b.resident_count, "url": f"/residents/buildings/{b.pk}/"}
        for b in buildings if b.has_point
    ]  # fmt: skip
    return render(
        request,
        "residents/grid_detail.html",
        {
            "grid": grid,
            "buildings": buildings,
            "points": points,
            "outline": {"type": "Feature", "geometry": grid.boundary, "properties": {}}
            if grid.boundary
            else None,
            "can_add": object_allowed(request.user, Building(grid=grid), "add"),
            "venues": Venue.objects.filter(grid=grid, is_active=True).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def building_create(request, grid_pk=None):
    require_perm(request.user, Building, "add")
    grids = _grids(request.user, "add")
    grid = scoped_get(request.user, Area.objects.all(), grid_pk, "view") if grid_pk else None
    form = BuildingForm(request.POST or None, grids=grids, initial={"grid": grid})
    if request.method == "POST" and form.is_valid():
        building = call_service(
            form, services.building_create, actor=request.user, **form.cleaned_data
        )
        if building is not None:
            messages.success(request, _("Building %(name)s added.") % {"name": building.name})
            return redirect("residents:building_detail", pk=building.pk)
    return render(request, "residents/building_form.html", {"form": form, "grid": grid})


BUILDINGS = Building.objects.select_related("grid__parent")


@require_GET
def building_detail(request, pk):
    building = scoped_get(request.user, BUILDINGS, pk)
    return render(
        request,
        "residents/building_detail.html",
        {
            "building": building,
            "floors": selectors.floors_of(building),
            "can_change": object_allowed(request.user, building, "change"),
            "can_add_house": object_allowed(request.user, House(building=building), "add"),
        },
    )


@require_http_methods(["GET", "POST"])
def building_edit(request, pk):
    building = scoped_get(request.user, BUILDINGS, pk, "change")
    initial = {name: getattr(building, name) for name in services.places.BUILDING_FIELDS}
    form = BuildingForm(request.POST or None, grids=_grids(request.user, "change"), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("grid") is None:
            data.pop("grid")
        saved = call_service(
            form, services.building_update, actor=request.user, building=building, **data
        )
        if saved is not None:
            messages.success(request, _("Building %(name)s saved.") % {"name": saved.name})
            return redirect("residents:building_detail", pk=building.pk)
    return render(
        request, "residents/building_form.html",
        {"form": form, "building": building, "grid": building.grid},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def house_create(request, building_pk):
    building = scoped_get(request.user, BUILDINGS, building_pk)
    if not object_allowed(request.user, House(building=building), "add"):
        raise PermissionDenied(_("Your role does not allow this."))
    initial = {"floor": request.GET.get("floor") or 1, "unit": request.GET.get("unit") or 1}
    form = HouseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        house = call_service(
            form, services.house_create, actor=request.user, building=building, **form.cleaned_data
        )
        if house is not None:
            messages.success(request, _("House %(house)s added.") % {"house": house.label})
            if "add_another" in request.POST:
                return redirect("residents:house_create", building_pk=building.pk)
            return redirect("residents:house_detail", pk=house.pk)
    return render(request, "residents/house_form.html", {"form": form, "building": building})


HOUSES = House.objects.select_related("building__grid__parent")


@require_GET
def house_detail(request, pk):
    house = scoped_get(request.user, HOUSES, pk)
    residents = (
        Resident.objects.restrict(request.user, "view")
        .filter(house=house)
        .select_related("household")
        .order_by("status", "household_id", "relation", "name")
    )
    rentals = (
        Rental.objects.restrict(request.user, "view")
        .filter(house=house)
        .select_related("landlord")
        .prefetch_related("tenants")
        .order_by("-contract_end")
    )
    return render(
        request,
        "residents/house_detail.html",
        {
            "house": house,
            "residents": residents,
            "rentals": rentals,
            "today": timezone.localdate(),
            "can_change": object_allowed(request.user, house, "change"),
            "can_add_resident": object_allowed(
                request.user, Resident(grid=house.building.grid), "add"
            ),
            "can_rent": object_allowed(request.user, Rental(house=house), "add"),
            "households": Household.objects.restrict(request.user, "view")
            .filter(house=house)
            .select_related("head")
            .annotate(size=Count("members"))
            .order_by("id"),
            "can_add_household": object_allowed(
                request.user, Household(grid=house.building.grid), "add"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def house_edit(request, pk):
    house = scoped_get(request.user, HOUSES, pk, "change")
    initial = {name: getattr(house, name) for name in services.places.HOUSE_FIELDS}
    form = HouseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.house_update, actor=request.user, house=house, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("House %(house)s saved.") % {"house": saved.label})
            return redirect("residents:house_detail", pk=house.pk)
    return render(
        request, "residents/house_form.html",
        {"form": form, "building": house.building, "house": house},
    )  # fmt: skip


# --- Rentals ---------------------------------------------------------------------------------


@require_GET
def rental_list(request):
    require_perm(request.user, Rental)
    state = request.GET.get("state", "current")
    rentals = selectors.rentals_for(request.user, state=state)
    return render(
        request,
        "residents/rental_list.html",
        {"page": paginate(request, rentals, PER_PAGE), "state": state,
         "today": timezone.localdate()},
    )  # fmt: skip


@sensitive_post_parameters(*PROTECTED_INPUTS)
@require_http_methods(["GET", "POST"])
def rental_create(request, house_pk):
    house = scoped_get(request.user, HOUSES, house_pk)
    if not object_allowed(request.user, Rental(house=house), "add"):
        raise PermissionDenied(_("Your role does not allow this."))
    visible = Resident.objects.restrict(request.user, "view").filter(status=ResidentStatus.PRESENT)
    today = timezone.localdate()
    form = RentalForm(
        request.POST or None,
        landlords=visible.filter(grid__code__startswith=house.building.grid.parent.code),
        tenants=visible.filter(house=house),
        initial={"contract_start": today, "contract_end": today.replace(year=today.year + 1)},
    )
    if request.method == "POST" and form.is_valid():
        rental = call_service(
            form, services.rental_create, actor=request.user, house=house, **form.cleaned_data
        )
        if rental is not None:
            messages.success(request, _("Rental registered."))
            return redirect("residents:rental_detail", pk=rental.pk)
    return render(request, "residents/rental_form.html", {"form": form, "house": house})


RENTALS = Rental.objects.select_related("house__building__grid", "landlord")


@require_http_methods(["GET", "POST"])
def rental_detail(request, pk):
    rental = scoped_get(request.user, RENTALS, pk)
    can_inspect = _may(request.user, Rental, "change") and object_allowed(
        request.user, rental, "change"
    )
    form = InspectionForm(request.POST or None)
    end_form = EndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST":
        if not can_inspect:
            raise PermissionDenied(_("Your role does not allow this."))
        if request.POST.get("action") == "end":
            if end_form.is_valid() and call_service(
                end_form, services.rental_end, actor=request.user, rental=rental,
                ended_on=end_form.cleaned_data["ended_on"],
            ):  # fmt: skip
                messages.success(request, _("Rental registration ended."))
                return redirect("residents:rental_detail", pk=rental.pk)
        elif form.is_valid() and call_service(
            form, services.rental_inspect, actor=request.user, rental=rental, **form.cleaned_data
        ):
            messages.success(request, _("Inspection recorded."))
            return redirect("residents:rental_detail", pk=rental.pk)
    return render(
        request,
        "residents/rental_detail.html",
        {
            "rental": rental,
            "tenants": rental.tenants.all(),
            "inspections": rental.inspections.select_related("inspector"),
            "form": form,
            "end_form": end_form,
            "can_inspect": can_inspect,
            "can_reveal": services.may_reveal(request.user, rental),
            "reveal_form": RevealForm(),
            "today": timezone.localdate(),
        },
    )


# --- Special care ----------------------------------------------------------------------------


def _visible_groups(user):
    """Active groups the user's roles may see (all of them for administrators)."""
    groups = CareGroup.objects.filter(is_active=True)
    if care_visibility_q(user, "view") is None:
        return groups
    return groups.filter(pk__in=visible_group_ids(user))


@require_GET
def care_list(request):
    require_perm(request.user, CareMembership)
    state = request.GET.get("state", "overdue")
    if state not in ("overdue", "due_soon", "all"):
        state = "overdue"
    groups = _visible_groups(request.user)
    group = groups.filter(pk=request.GET.get("group") or 0).first()
    memberships = selectors.memberships_for(
        request.user, state="" if state == "all" else state, group=group
    )
    return render(
        request,
        "residents/care_list.html",
        {
            "page": paginate(request, memberships, PER_PAGE),
            "state": state,
            "groups": groups,
            "group": group,
            "today": timezone.localdate(),
            "DueState": DueState,
        },
    )


@require_http_methods(["GET", "POST"])
def membership_create(request, resident_pk):
    resident = scoped_get(request.user, RESIDENTS, resident_pk)
    if not object_allowed(request.user, CareMembership(resident=resident), "add"):
        raise PermissionDenied(_("Your role does not allow this."))
    form = MembershipForm(
        request.POST or None,
        groups=_visible_groups(request.user),
        staff=services.care.helper_candidates(resident),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("helper")}
        membership = call_service(
            form, services.membership_create, actor=request.user, resident=resident,
            helpers=form.helpers(), **data,
        )  # fmt: skip
        if membership is not None:
            messages.success(request, _("%(name)s enrolled.") % {"name": resident.name})
            return redirect("residents:membership_detail", pk=membership.pk)
    return render(request, "residents/membership_form.html", {"form": form, "resident": resident})


# --- Venues ----------------------------------------------------------------------------------


@require_GET
def venue_list(request):
    require_perm(request.user, Venue)
    uninspected = request.GET.get("uninspected") == "1"
    venue_type = request.GET.get("type", "")
    venues = selectors.venues_for(
        request.user,
        uninspected=uninspected,
        venue_type=venue_type if venue_type in VenueType.values else "",
    )
    return render(
        request,
        "residents/venue_list.html",
        {
            "page": paginate(request, venues, PER_PAGE),
            "uninspected": uninspected,
            "venue_type": venue_type,
            "types": VenueType.choices,
            "month": selectors.month_label(),
            "can_add": _may(request.user, Venue, "add"),
        },
    )


@sensitive_post_parameters(*PROTECTED_INPUTS)
@require_http_methods(["GET", "POST"])
def venue_create(request):
    require_perm(request.user, Venue, "add")
    form = VenueForm(request.POST or None, grids=_grids(request.user, "add"))
    if request.method == "POST" and form.is_valid():
        venue = call_service(form, services.venue_create, actor=request.user, **form.cleaned_data)
        if venue is not None:
            messages.success(request, _("Venue %(name)s added.") % {"name": venue.name})
            return redirect("residents:venue_detail", pk=venue.pk)
    return render(request, "residents/venue_form.html", {"form": form})


VENUES = Venue.objects.select_related("grid__parent")


@sensitive_post_parameters(*PROTECTED_INPUTS)
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk):
    venue = scoped_get(request.user, VENUES, pk, "change")
    fields = ("name", "venue_type", "grid", "address", "licence_number", "contact_name")
    form = VenueForm(
        request.POST or None, grids=_grids(request.user, "change"), editing=True,
        initial={name: getattr(venue, name) for name in fields},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if not changes.get("contact_phone"):
            changes.pop("contact_phone")
        saved = call_service(
            form, services.venue_update, actor=request.user, venue=venue, **changes
        )
        if saved is not None:
            messages.success(request, _("Venue %(name)s saved.") % {"name": saved.name})
            return redirect("residents:venue_detail", pk=venue.pk)
    return render(request, "residents/venue_form.html", {"form": form, "venue": venue})


@require_http_methods(["GET", "POST"])
def venue_detail(request, pk):
    venue = scoped_get(request.user, VENUES, pk)
    can_inspect = object_allowed(request.user, VenueInspection(venue=venue), "add")
    form = VenueInspectionForm(request.POST or None, initial={
        "inspected_on": timezone.localdate(), "signed_off_by": venue.contact_name})  # fmt: skip
    if request.method == "POST":
        if not can_inspect:
            raise PermissionDenied(_("Your role does not allow this."))
        if form.is_valid() and call_service(
            form, services.venue_inspect, actor=request.user, venue=venue, **form.cleaned_data
        ):
            messages.success(request, _("Inspection recorded."))
            return redirect("residents:venue_detail", pk=venue.pk)
    return render(
        request,
        "residents/venue_detail.html",
        {
            "venue": venue,
            "inspections": venue.inspections.select_related("inspector")[:24],
            "form": form,
            "can_inspect": can_inspect and venue.is_active,
            "can_change": object_allowed(request.user, venue, "change"),
            "can_reveal": services.may_reveal(request.user, venue),
            "reveal_form": RevealForm(),
            "inspected": venue.inspected_this_month(),
        },
    )


# --- Import and export -----------------------------------------------------------------------


@require_GET
def import_template(request):
    """The template (the issue's columns, in order); ``?kind=overseas``: the template for
    境外/港澳台 residents, the same columns then the document columns after 备注."""
    require_perm(request.user, Resident, "import")
    if request.GET.get("kind") == "overseas":
        headers, widths, name = OVERSEAS_HEADERS, OVERSEAS_WIDTHS, "residents-template-overseas"
    else:
        headers, widths, name = HEADERS, WIDTHS, "residents-template"
    data = write_xlsx(headers, [], sheet_title="实有人口", widths=widths)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def import_residents(request):
    require_perm(request.user, Resident, "import")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = call_service(
            form, services.residents_import_file, actor=request.user,
            upload=form.cleaned_data["file"], skip_invalid=form.cleaned_data["skip_invalid"],
        )  # fmt: skip
        if report is not None and report.saved:
            messages.success(
                request,
                _("%(created)s residents imported, %(unchanged)s already registered.")
                % {"created": report.created, "unchanged": len(report.unchanged)},
            )
    return render(
        request,
        "residents/import.html",
        {
            "form": form, "report": report, "headers": HEADERS,
            "optional_headers": OPTIONAL_HEADERS,
            "documents": "、".join(DOCUMENT_ZH[k] for k in DOCUMENT_ZH if k != "id_card"),
            "ethnicities": "、".join(f"{n}族" for n in list(ETHNICITY_ZH.values())[:6]),
            "registrations": "、".join(REGISTRATION_ZH.values()),
            "relations": "、".join(RELATION_ZH.values()),
        },
    )  # fmt: skip


EXPORT_HEADERS = [
    "姓名", "性别", "出生日期", "公民身份号码", "联系电话", "民族", "户籍类型", "网格编码",
    "网格", "楼栋", "单元", "房号", "与户主关系", "状态", "备注",
]  # fmt: skip


@sensitive_post_parameters(*PROTECTED_INPUTS)
@require_POST
def export_residents(request):
    """The residents of the user's scope (with the list's filters) as Excel, masked; logged."""
    if not services.may_export(request.user):
        raise PermissionDenied(_("Your role does not allow this."))
    form = ResidentFilterForm(request.POST, grids=_grids(request.user))
    query = request.POST.get("q", "").strip()
    filters = form.filters()
    residents = selectors.residents_for(request.user, query=query, filters=filters)
    rows = [
        [r.name, r.get_sex_display(), r.birth_date, r.id_number_masked, r.phone_masked,
         ETHNICITY_ZH.get(r.ethnicity, ""), REGISTRATION_ZH.get(r.registration_type, ""),
         r.grid.code, r.grid.name, r.house.building.name if r.house_id else "",
         r.house.unit if r.house_id else "", r.house.room if r.house_id else "",
         RELATION_ZH.get(r.relation, ""), r.get_status_display(), r.notes]
        for r in residents.iterator(chunk_size=2000)
    ]  # fmt: skip
    services.log_export(
        actor=request.user, what="residents.resident", count=len(rows),
        filters={"q": "" if query.isdigit() else query,
                 **{k: str(getattr(v, "code", v)) for k, v in filters.items() if v}},
        ip_address=_ip(request),
    )  # fmt: skip
    data = write_xlsx(EXPORT_HEADERS, rows, sheet_title="实有人口")
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="residents-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


# --- Access log ------------------------------------------------------------------------------


@require_GET
def access_log(request):
    """Reveals and exports, newest first (administrators; read only)."""
    entries = scoped_list_log(request.user)
    action = request.GET.get("action", "")
    if action in ("reveal", "export"):
        entries = entries.filter(action=action)
    who = request.GET.get("who", "").strip()
    if who:
        entries = entries.filter(actor__username=who)
    return render(
        request,
        "residents/access_log.html",
        {"page": paginate(request, entries, 50), "action": action, "who": who},
    )


def scoped_list_log(user):
    if not user.has_perm("residents.view_accesslog"):
        raise PermissionDenied(_("Your role does not allow this."))
    return AccessLog.objects.select_related("actor").order_by("-created_at", "-id")


@require_GET
def visit_photo(request, pk):
    """A visit's photo, only to those who may see the visit (media files are not public)."""
    visit = scoped_get(request.user, Visit.objects.select_related("membership__resident__grid"), pk)
    if not visit.photo:
        raise Http404
    response = FileResponse(visit.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
