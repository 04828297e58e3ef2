"""Pages of the overdue alerts: the supervision list (督办) with the monthly count per unit, the
supervision notice, and the administrators' alert settings. Thin: selectors and services."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import selectors, services
from events.forms import AlertSettingsForm, SupervisionForm, UnitHeadForm
from events.models import AlertSettings, UnitHead
from events.services.clocks import alert_settings
from events.services.supervision import SETTING_FIELDS, may_supervise
from events.views.pages import EVENTS, _clock, _render_event
from governance.web import call_service, paginate, require_perm, scoped_get


def _require_supervisor(user) -> None:
    if not user.has_perm("events.supervise_event"):
        raise PermissionDenied(_("The supervision list is for leaders and dispatch centres."))


def _month(text: str) -> date:
    """The first day of ``YYYY-MM`` (this month when missing or malformed)."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


@require_GET
def supervision_list(request):
    """Red events of the user's areas, longest red first; the month's supervised count per
    unit underneath."""
    _require_supervisor(request.user)
    clock = _clock()
    page = paginate(request, selectors.supervision_rows(request.user))
    page.object_list = list(page.object_list)
    selectors.attach_holders(page.object_list, clock["now"])
    month = _month(request.GET.get("month", ""))
    zone = timezone.get_current_timezone()
    start = datetime.combine(month, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(_next_month(month), datetime.min.time(), tzinfo=zone)
    previous = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return render(
        request,
        "events/supervision.html",
        {
            "page": page,
            "units": selectors.supervised_counts(request.user, start, end),
            "month": month,
            "previous_month": previous,
            "next_month": _next_month(month),
            "form": SupervisionForm(),
            **clock,
        },
    )


@require_POST
def supervise(request, pk):
    """Issue a supervision notice from the supervision list or the event page."""
    event = scoped_get(request.user, EVENTS, pk)
    if not may_supervise(request.user, event):
        raise PermissionDenied(_("You may not issue supervision notices here."))
    form = SupervisionForm(request.POST)
    if form.is_valid():
        done = call_service(
            form,
            services.supervision_issue,
            event=event,
            actor=request.user,
            note=form.cleaned_data["note"],
        )
        if done is not None:
            messages.success(
                request,
                _("Supervision notice issued on %(number)s; the units holding it were told.")
                % {"number": event.number},
            )
            back = request.POST.get("next", "")
            if back.startswith("/") and not back.startswith("//"):
                return redirect(back)
            return redirect("events:detail", pk=event.pk)
    event = scoped_get(request.user, EVENTS, pk)
    return _render_event(request, event, supervise_form=form)


@require_http_methods(["GET", "POST"])
def alert_settings_page(request):
    """The global thresholds, the dispatch limits and the unit heads (administrators)."""
    require_perm(request.user, AlertSettings, "change")
    current = alert_settings()
    initial = {name: getattr(current, name) for name in SETTING_FIELDS}
    posted = request.method == "POST" and request.POST.get("form") == "settings"
    form = AlertSettingsForm(request.POST if posted else None, initial=initial)
    head_posted = request.method == "POST" and request.POST.get("form") == "head"
    head_form = UnitHeadForm(request.POST if head_posted else None)
    if posted and form.is_valid():
        saved = call_service(
            form, services.alert_settings_update, actor=request.user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(
                request, _("Alert settings saved; they apply to stages that start from now on.")
            )
            return redirect("events:alert_settings")
    if head_posted and head_form.is_valid():
        head = call_service(
            head_form,
            services.unit_head_add,
            actor=request.user,
            unit=head_form.cleaned_data["unit"],
            user=head_form.cleaned_data["user"],
        )
        if head is not None:
            messages.success(
                request,
                _("%(user)s now heads %(unit)s.") % {"user": head.user, "unit": head.unit},
            )
            return redirect("events:alert_settings")
    heads = UnitHead.objects.select_related("unit__area", "user").order_by(
        "unit__area__code", "unit__name", "user__username"
    )
    return render(
        request,
        "events/alert_settings.html",
        {
            "form": form,
            "head_form": head_form,
            "heads": heads,
            "current": current,
            "can_change_heads": request.user.has_perm("events.add_unithead"),
        },
    )


@require_POST
def unit_head_remove(request, pk):
    require_perm(request.user, UnitHead, "delete")
    head = get_object_or_404(UnitHead.objects.select_related("unit", "user"), pk=pk)
    services.unit_head_remove(actor=request.user, head=head)
    messages.success(
        request, _("%(user)s no longer heads %(unit)s.") % {"user": head.user, "unit": head.unit}
    )
    return redirect("events:alert_settings")
