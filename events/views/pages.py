"""Staff pages of the event pipeline. Thin: scoping via governance.web, writes via the forms'
``run`` (one service each)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import selectors, services
from events.choices import AlertLevel
from events.clocks import THRESHOLD_FIELDS
from events.forms import (
    BULK_ACTIONS,
    FORM_OF,
    TRANSITION_FORMS,
    EventFilterForm,
    ReportForm,
    SupervisionForm,
    SupplementForm,
)
from events.models import Event, EventPhoto, ServiceItem
from events.services.guards import Conflict, allowed_transitions
from events.services.supervision import may_supervise
from events.workflow import TRANSITIONS, EventStatus, TaskStatus
from governance.web import call_service, paginate, require_perm, scoped_get, scoped_list

EVENTS = Event.objects.select_related(
    "item_version__category__parent",
    "grid__parent__parent",
    "reporter",
    "suggested_unit",
    "duplicate_of",
    "reporter_unit",
)


# --- Lists and consoles -------------------------------------------------------------------------


@require_GET
def event_list(request):
    events = scoped_list(request.user, Event.objects.all())
    form = EventFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            text = data["q"].strip()
            events = events.filter(
                Q(number__icontains=text)
                | Q(description__icontains=text)
                | Q(address__icontains=text)
            )
        for name in ("status", "urgency", "source"):
            if data[name]:
                events = events.filter(**{name: data[name]})
    colour = _colour_args(request)
    rows = selectors.by_colour(selectors.console_rows(events), **colour)
    return render(
        request,
        "events/event_list.html",
        {
            "page": paginate(request, rows),
            "form": form,
            "colours": selectors.colour_counts(events),
            "alert": colour["colour"],
            "sort": colour["sort"],
            **_clock(),
        },
    )


def _colour_args(request) -> dict:
    """The colour filter (``?alert=red``) and the sort (``?sort=alert``) of a list page."""
    return {"colour": request.GET.get("alert", ""), "sort": request.GET.get("sort", "")}


def _clock() -> dict:
    """``now`` and the page's clock (the working calendar held once for every row)."""
    clock = selectors.page_clock()
    return {"now": clock.now, "clock": clock}


def _console(request, tabs, *, title: str, bulk: tuple[str, ...] = (), template=None):
    key = request.GET.get("tab") or next((t.key for t in tabs if t.count), tabs[0].key)
    current = next((t for t in tabs if t.key == key), tabs[0])
    colour = _colour_args(request)
    rows = selectors.by_colour(selectors.console_rows(current.queryset), **colour)
    return render(
        request,
        template or "events/console.html",
        {
            "title": title,
            "tabs": tabs,
            "current": current,
            "page": paginate(request, rows),
            "colours": selectors.colour_counts(current.queryset),
            "alert": colour["colour"],
            "sort": colour["sort"],
            "bulk_actions": [(k, BULK_ACTIONS[k]) for k in bulk],
            **_clock(),
        },
    )


@require_GET
def street_console(request):
    require_perm(request.user, Event, "change")
    if not request.user.has_role("street_dispatcher"):
        raise PermissionDenied(_("The street console is for street dispatchers."))
    return _console(
        request,
        selectors.street_console_tabs(request.user),
        title=_("Street dispatch console"),
        bulk=("grab", "accept", "close"),
    )


@require_GET
def district_console(request):
    require_perm(request.user, Event, "change")
    if not request.user.has_role("district_dispatcher"):
        raise PermissionDenied(_("The district console is for district dispatchers."))
    return _console(
        request,
        selectors.district_console_tabs(request.user),
        title=_("District dispatch console"),
        bulk=("accept", "close"),
    )


@require_GET
def inbox(request):
    require_perm(request.user, Event, "change")
    tabs = selectors.inbox_tabs(request.user)
    key = request.GET.get("tab") or next((t.key for t in tabs if t.count), tabs[0].key)
    current = next((t for t in tabs if t.key == key), tabs[0])
    colour = _colour_args(request)
    return render(
        request,
        "events/inbox.html",
        {
            "tabs": tabs,
            "current": current,
            "page": paginate(request, selectors.by_colour(current.queryset, **colour)),
            "colours": selectors.colour_counts(current.base.filter(current.condition)),
            "alert": colour["colour"],
            "sort": colour["sort"],
            **_clock(),
        },
    )


@require_GET
def mine(request):
    require_perm(request.user, Event, "add")
    tabs = selectors.worker_tabs(request.user)
    return _console(request, tabs, title=_("My events"), template="events/mine.html")


@require_POST
def bulk(request):
    """Grab, accept or close several events at once; each through its own service call, so
    one refusal does not stop the others, and each gets its own message."""
    require_perm(request.user, Event, "change")
    action = request.POST.get("action")
    ids = [int(i) for i in request.POST.getlist("events") if i.isdigit()]
    back = request.POST.get("next") or reverse("events:street_console")
    if action not in BULK_ACTIONS or not ids:
        messages.error(request, _("Choose events and an action."))
        return redirect(back)
    run = {
        "grab": services.event_grab,
        "accept": services.event_accept,
        "close": services.event_close,
    }[action]
    done, refused = [], []
    for event in Event.objects.restrict(request.user, "view").filter(pk__in=ids):
        try:
            run(event=event, actor=request.user)
            done.append(event.number)
        except (ValidationError, PermissionDenied) as exc:
            refused.append(f"{event.number}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
    if done:
        messages.success(
            request,
            _("%(action)s: %(numbers)s.")
            % {"action": BULK_ACTIONS[action], "numbers": "、".join(done)},
        )
    for line in refused:
        messages.error(request, line)
    return redirect(back)


# --- Reporting ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report(request):
    require_perm(request.user, Event, "add")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        event = call_service(form, form.run, actor=request.user, request=request)
        if event is not None:
            messages.success(
                request,
                _("Reported. The tracking number is %(number)s.") % {"number": event.number},
            )
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/report.html", _report_context(request, form))


def _report_context(request, form) -> dict:
    items = list(form.fields["item"].queryset.order_by("current__category__code", "code"))
    return {
        "form": form,
        "items": items,
        "recent": selectors.recent_items(request.user) if request.user.is_authenticated else [],
        "public": not request.user.is_authenticated,
    }


@require_GET
def nearby(request):
    """Open events of the item near a point, for the report form (an HTML fragment)."""
    require_perm(request.user, Event, "add")
    try:
        item = ServiceItem.objects.select_related("current").get(pk=request.GET.get("item"))
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (ServiceItem.DoesNotExist, KeyError, ValueError, TypeError):
        return HttpResponseBadRequest(_("Choose an item and a place."))
    found = services.nearby_open_events(item=item, lat=lat, lng=lng)
    visible = set(
        Event.objects.restrict(request.user, "view")
        .filter(pk__in=[n.event.pk for n in found])
        .values_list("pk", flat=True)
    )
    rows = [n for n in found if n.event.pk in visible]
    return render(request, "events/_nearby.html", {"rows": rows, "item": item})


@require_http_methods(["GET", "POST"])
def supplement(request, pk):
    """Attach what one saw to an open event instead of filing a duplicate."""
    event = scoped_get(request.user, EVENTS, pk, "add")
    form = SupplementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(form, form.run, actor=request.user, event=event, request=request)
        if done is not None:
            messages.success(request, _("Added to %(number)s.") % {"number": event.number})
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/supplement.html", {"form": form, "event": event})


# --- The event page -----------------------------------------------------------------------------


def _applicable(name: str, event, targets: list, tasks: list) -> list:
    """Leave out the panels whose service would refuse for a reason other than the table:
    nothing sent back to re-route, no extension waiting, one already waiting, no rating yet."""
    pending = {t.pk for t in tasks for x in t.extensions.all() if x.status == "pending"}
    if name == "reassign":
        return [t for t in tasks if t.status == TaskStatus.SENT_BACK and not t.rerouted]
    if name == "decide_extension":
        return [t for t in targets if t.pk in pending]
    if name == "request_extension":
        return [t for t in targets if t.pk not in pending]
    if name == "close" and not event.rating:
        return []
    if name in ("rate", "reopen") and event.rating:
        return []
    return targets


def _forms_for(request, event, page, *, bound=None) -> list[dict]:
    """One form per transition the user may perform now (per task for task transitions)."""
    now = timezone.now()
    allowed = allowed_transitions(request.user, event, tasks=page["tasks"], now=now)
    panels = []
    for name, targets in allowed.items():
        form_name = FORM_OF[name]
        if name == "reopen" and "rate" in allowed:
            continue  # one rating form covers both
        form_class = TRANSITION_FORMS[form_name]
        targets = _applicable(name, event, targets, page["tasks"])
        for task in targets:
            if (
                bound is not None
                and bound["name"] == form_name
                and bound["task"] == (task.pk if task else None)
            ):
                form = bound["form"]
            else:
                initial = {"task": task.pk} if task else {}
                form = form_class(event=event, tasks=page["tasks"], initial=initial)
            panels.append(
                {
                    "name": form_name,
                    "label": TRANSITIONS[form_name].label,
                    "task": task,
                    "form": form,
                    "open": bound is not None and form is bound["form"],
                    "danger": form_class.danger,
                }
            )
    return panels


def _render_event(request, event, *, bound=None, status=200, supervise_form=None):
    page = selectors.event_page(event)
    clock = _clock()
    levels = (AlertLevel.BLUE, AlertLevel.YELLOW, AlertLevel.ORANGE, AlertLevel.RED)
    context = {
        "event": event,
        **page,
        "panels": _forms_for(request, event, page, bound=bound),
        **clock,
        "owner": event.owner_at(clock["now"]),
        "residents": selectors.related_residents(event, request.user),
        "thresholds": [
            (int(level), getattr(event, field))
            for level, field in zip(levels, THRESHOLD_FIELDS, strict=True)
            if getattr(event, field) is not None
        ],
        "alerts": selectors.event_alerts(event),
        "may_supervise": may_supervise(request.user, event),
        "supervise_form": supervise_form or SupervisionForm(),
    }
    return render(request, "events/event_detail.html", context, status=status)


@require_GET
def event_detail(request, pk):
    event = scoped_get(request.user, EVENTS, pk)
    return _render_event(request, event)


class _Raced(Exception):
    """A Conflict carried past call_service (which would put it on the form's fields)."""

    def __init__(self, conflict: Conflict):
        super().__init__(str(conflict))
        self.conflict = conflict


def _conflicts_raised(run):
    def wrapped(**kwargs):
        try:
            return run(**kwargs)
        except Conflict as exc:
            raise _Raced(exc) from exc

    return wrapped


@require_POST
def event_act(request, pk, name):
    """Perform one transition from the event page; a refusal re-renders the page with the
    message at the field it concerns."""
    if name not in TRANSITION_FORMS:
        raise Http404
    event = scoped_get(request.user, EVENTS, pk, "change" if name != "rate" else "view")
    tasks = list(event.tasks.select_related("unit"))
    form = TRANSITION_FORMS[name](request.POST, request.FILES, event=event, tasks=tasks)
    if form.is_valid():
        try:
            result = call_service(form, _conflicts_raised(form.run), actor=request.user,
                                  request=request)  # fmt: skip
        except _Raced as exc:
            messages.error(request, " ".join(exc.conflict.messages))
            return redirect("events:detail", pk=event.pk)
        if result is not None:
            messages.success(request, _("Done: %(action)s.") % {"action": TRANSITIONS[name].label})
            return redirect(request.POST.get("next") or reverse("events:detail", args=[pk]))
    event = scoped_get(request.user, EVENTS, pk)  # fresh, the failed attempt changed nothing
    task = form.cleaned_data.get("task") if hasattr(form, "cleaned_data") else None
    bound = {"name": name, "task": task, "form": form}
    return _render_event(request, event, bound=bound, status=200)


@require_GET
def photo(request, pk):
    """A photo of an event the user may see (photos are personal data: never a public URL)."""
    row = EventPhoto.objects.select_related("event__grid").filter(pk=pk).first()
    if (
        row is None
        or not Event.objects.restrict(request.user, "view").filter(pk=row.event_id).exists()
    ):
        raise Http404
    content_type = mimetypes.guess_type(row.file.name)[0] or "application/octet-stream"
    response = FileResponse(row.file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = ["EventStatus"]
