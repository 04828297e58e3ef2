"""The service-item staff pages: list, create, edit (a new version), Excel import and export."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from events import services
from events.forms import ImportForm, ServiceItemForm
from events.models import ServiceCategory, ServiceItem
from events.services.clocks import alert_settings
from governance.audit.services import audit_record
from governance.excel import XLSX_CONTENT_TYPE
from governance.web import call_service, paginate, require_perm, scoped_get, scoped_list

ITEMS = ServiceItem.objects.select_related("current__category__parent", "current__default_unit")


@require_GET
def item_list(request):
    items = scoped_list(request.user, ITEMS)
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    if query:
        items = items.filter(Q(code__icontains=query) | Q(current__name__icontains=query))
    if category.isdigit():
        items = items.filter(
            Q(current__category_id=category) | Q(current__category__parent_id=category)
        )
    if request.GET.get("retired") != "1":
        items = items.filter(is_active=True)
    return render(
        request,
        "events/item_list.html",
        {
            "page": paginate(request, items.order_by("code"), 100),
            "q": query,
            "category": category,
            "categories": ServiceCategory.objects.filter(parent__isnull=True).order_by("code"),
            "can_change": request.user.has_perm("events.change_serviceitem"),
        },
    )


@require_GET
def item_detail(request, pk):
    item = scoped_get(request.user, ITEMS, pk)
    versions = item.versions.select_related("category__parent", "created_by", "default_unit")
    return render(
        request,
        "events/item_detail.html",
        {
            "item": item,
            "versions": versions,
            "can_change": request.user.has_perm("events.change_serviceitem"),
        },
    )


@require_http_methods(["GET", "POST"])
def item_create(request):
    require_perm(request.user, ServiceItem, "add")
    form = ServiceItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = call_service(
            form,
            services.service_item_create,
            actor=request.user,
            code=form.cleaned_data["code"],
            **form.terms(),
        )
        if item is not None:
            messages.success(request, _("Service item %(item)s created.") % {"item": item})
            return redirect("events:item_detail", pk=item.pk)
    return render(request, "events/item_form.html", {"form": form, "settings": alert_settings()})


@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = scoped_get(request.user, ITEMS, pk, "change")
    version = item.current
    initial = {
        name: getattr(version, name)
        for name in services.items.TERMS
        if name not in ("time_limits", "alert_thresholds")
    }
    initial["code"] = item.code
    form = ServiceItemForm(request.POST or None, initial=initial, item=item)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.service_item_update, actor=request.user, item=item, **form.terms()
        )
        if saved is not None:
            if saved.current_id == version.pk:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(
                    request,
                    _("Saved as version %(n)s; events filed earlier keep their terms.")
                    % {"n": saved.current.number},
                )
            return redirect("events:item_detail", pk=item.pk)
    return render(
        request,
        "events/item_form.html",
        {"form": form, "item": item, "settings": alert_settings()},
    )


@require_GET
def item_export(request):
    require_perm(request.user, ServiceItem, "view")
    data = services.service_items_export()
    audit_record(
        actor=request.user,
        action="service_item.export",
        target=ServiceItem.objects.first() or ServiceCategory.objects.first(),
    )
    name = f"service-items-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def item_import(request):
    require_perm(request.user, ServiceItem, "change")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = call_service(
            form,
            services.service_items_import,
            actor=request.user,
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "events/item_import.html", {"form": form, "report": report})
