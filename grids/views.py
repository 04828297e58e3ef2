"""Territory and unit pages. Thin: scoping via governance.web, writes via grids.services."""

import json

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance.accounts.models import RoleAssignment
from governance.scoping import object_allowed, perm_name
from governance.web import call_service, paginate, require_perm, scoped_get, scoped_list
from grids import selectors, services
from grids.choices import CHILD_LEVEL, AreaLevel, DepartmentType, UnitKind
from grids.forms import (
    AreaCreateForm,
    AreaEditForm,
    BoundaryForm,
    BoundaryImportForm,
    UnitForm,
)
from grids.models import Area, Unit

AREAS = Area.objects.select_related("parent__parent__parent")


def _may(user, model, action: str) -> bool:
    return user.has_perm(perm_name(model, action))


@require_GET
def territory_tree(request):
    require_perm(request.user, Area)
    return render(
        request,
        "grids/territory_tree.html",
        {
            "roots": selectors.territory_tree(request.user),
            "can_add": _may(request.user, Area, "add"),
            "can_import": _may(request.user, Area, "change"),
        },
    )


@require_GET
def territory_map(request):
    require_perm(request.user, Area)
    communities = (
        Area.objects.restrict(request.user, "view")
        .filter(level=AreaLevel.COMMUNITY, is_active=True, boundary__isnull=False)
        .only("id", "code", "name", "level", "boundary")
    )
    return render(
        request,
        "grids/territory_map.html",
        {
            "layer_url": "grids:map_geojson",
            "outlines": selectors.area_outline_geojson(communities),
        },
    )


@require_GET
def map_geojson(request):
    """The grids the user may see, for the map (optionally under ``?within=<area id>``)."""
    require_perm(request.user, Area)
    within = None
    if request.GET.get("within"):
        within = scoped_get(request.user, Area.objects.all(), request.GET["within"])
    return JsonResponse(selectors.grids_geojson(request.user, within=within))


@require_GET
def area_detail(request, pk):
    area = scoped_get(request.user, AREAS, pk)
    children = list(area.children.filter(is_active=True).order_by("code"))
    holders = (
        RoleAssignment.objects.filter(area=area)
        .select_related("user", "unit")
        .order_by("role", "user__full_name")
    )
    outline = [area, *([area.parent] if area.parent else []), *children]
    return render(
        request,
        "grids/area_detail.html",
        {
            "area": area,
            "ancestors": _ancestors(area),
            "children": children,
            "counts": selectors.area_counts(area),
            "holders": holders,
            "units": Unit.objects.filter(area=area).order_by("kind", "name"),
            "outlines": selectors.area_outline_geojson([a for a in outline if not a.is_grid]),
            "child_level": CHILD_LEVEL.get(area.level),
            "can_change": object_allowed(request.user, area, "change"),
            "can_add": object_allowed(request.user, area, "add"),
        },
    )


def _ancestors(area: Area) -> list[Area]:
    chain, node = [], area.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


@require_http_methods(["GET", "POST"])
def area_create(request):
    parent = None
    if request.GET.get("parent"):
        # The parent first: one the user cannot see is a 404 whatever their role allows.
        parent = scoped_get(request.user, Area.objects.all(), request.GET["parent"], "add")
    require_perm(request.user, Area, "add")
    parents = Area.objects.restrict(request.user, "add").exclude(level=AreaLevel.GRID)
    initial = {}
    if parent is not None:
        initial = {"parent": parent, "level": CHILD_LEVEL.get(parent.level), "code": parent.code}
    form = AreaCreateForm(request.POST or None, initial=initial, parents=parents)
    if request.method == "POST" and form.is_valid():
        area = call_service(form, services.area_create, actor=request.user, **form.cleaned_data)
        if area is not None:
            messages.success(request, _("Area %(area)s created.") % {"area": area})
            return redirect("grids:area_detail", pk=area.pk)
    return render(request, "grids/area_form.html", {"form": form, "parent": parent})


@require_http_methods(["GET", "POST"])
def area_edit(request, pk):
    area = scoped_get(request.user, AREAS, pk, "change")
    initial = {f: getattr(area, f) for f in services.AREA_EDITABLE}
    form = AreaEditForm(request.POST or None, initial=initial, area=area)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
        saved = call_service(form, services.area_update, actor=request.user, area=area, **changes)
        if saved is not None:
            messages.success(request, _("Area %(area)s saved.") % {"area": saved})
            return redirect("grids:area_detail", pk=area.pk)
    return render(request, "grids/area_form.html", {"form": form, "area": area})


@require_http_methods(["GET", "POST"])
def area_boundary(request, pk):
    """Draw or edit an area's boundary on the map; the parent and siblings show for reference."""
    area = scoped_get(request.user, AREAS, pk, "change")
    form = BoundaryForm(
        request.POST or None,
        initial={"boundary": json.dumps(area.boundary) if area.boundary else ""},
    )
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["boundary"].strip()
        saved = call_service(
            form, services.area_set_boundary, actor=request.user, area=area, boundary=text or None
        )
        if saved is not None:
            messages.success(request, _("Boundary of %(area)s saved.") % {"area": saved})
            return redirect("grids:area_detail", pk=area.pk)
    siblings = Area.objects.filter(parent=area.parent, level=area.level, is_active=True).exclude(
        pk=area.pk
    )
    context = {
        "area": area,
        "form": form,
        "parent_geojson": selectors.area_outline_geojson([area.parent] if area.parent else []),
        "siblings_geojson": selectors.area_outline_geojson(siblings),
    }
    return render(request, "grids/area_boundary.html", context)


@require_http_methods(["GET", "POST"])
def boundary_import(request):
    require_perm(request.user, Area, "change")
    areas = Area.objects.restrict(request.user, "change").exclude(level=AreaLevel.GRID)
    form = BoundaryImportForm(request.POST or None, request.FILES or None, areas=areas)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = call_service(
            form,
            services.boundaries_import,
            actor=request.user,
            collection=data["file"],
            code_property=data["code_property"],
            name_property=data["name_property"],
            within=data["within"],
            skip_invalid=data["skip_invalid"],
            dry_run=data["dry_run"],
        )
    return render(request, "grids/boundary_import.html", {"form": form, "report": report})


# --- Units ----------------------------------------------------------------------------------

UNITS = Unit.objects.select_related("area")


@require_GET
def unit_list(request):
    units = scoped_list(request.user, UNITS).filter(is_active=True)
    kind, dept, query = request.GET.get("kind"), request.GET.get("dept"), request.GET.get("q", "")
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    if dept in DepartmentType.values:
        units = units.filter(department_type=dept)
    if query.strip():
        units = units.filter(name__icontains=query.strip())
    return render(
        request,
        "grids/unit_list.html",
        {
            "page": paginate(request, units.order_by("area__code", "kind", "name")),
            "kinds": UnitKind.choices,
            "departments": DepartmentType.choices,
            "kind": kind,
            "dept": dept,
            "q": query,
            "can_add": _may(request.user, Unit, "add"),
        },
    )


@require_GET
def unit_detail(request, pk):
    unit = scoped_get(request.user, UNITS, pk)
    return render(
        request,
        "grids/unit_detail.html",
        {
            "unit": unit,
            "members": unit.role_assignments.select_related("user").order_by("user__full_name"),
            "can_change": object_allowed(request.user, unit, "change"),
        },
    )


def _unit_areas(user, action: str):
    return Area.objects.restrict(user, action).exclude(level=AreaLevel.GRID).filter(is_active=True)


@require_http_methods(["GET", "POST"])
def unit_create(request):
    require_perm(request.user, Unit, "add")
    form = UnitForm(request.POST or None, areas=_unit_areas(request.user, "view"))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
        unit = call_service(form, services.unit_create, actor=request.user, **data)
        if unit is not None:
            messages.success(request, _("Unit %(unit)s created.") % {"unit": unit})
            return redirect("grids:unit_detail", pk=unit.pk)
    return render(request, "grids/unit_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    unit = scoped_get(request.user, UNITS, pk, "change")
    initial = {name: getattr(unit, name) for name in services.UNIT_FIELDS}
    form = UnitForm(request.POST or None, initial=initial, areas=_unit_areas(request.user, "view"))
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.unit_update, actor=request.user, unit=unit, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("Unit %(unit)s saved.") % {"unit": saved})
            return redirect("grids:unit_detail", pk=unit.pk)
    return render(request, "grids/unit_form.html", {"form": form, "unit": unit})
