"""The public side (no login): follow a report by tracking number and phone, rate it, report a
problem. Rate-limited per client address (and failed proofs per tracking number); shows no
personal data."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from events.forms import PublicReportForm, RateForm, TrackForm
from events.models import Event
from events.services.common import last4_hash
from events.services.guards import Conflict
from events.workflow import EventStatus
from governance.web import call_service

HOUR = 3600
SESSION_KEY = "events_tracked"
# Steps a resident sees, and how they are named to them (no staff names, no comments of
# the dispatch centre).
PUBLIC_STEPS = (
    "report",
    "accept",
    "grab",
    "split",
    "joint",
    "dispatch",
    "return",
    "reassign",
    "sign",
    "complete",
    "on_the_spot",
    "verify",
    "fail_verification",
    "rate",
    "reopen",
    "close",
    "auto_close",
    "reject",
)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_limit(key: str, limit: int) -> bool:
    """Count one more use of ``key`` this hour; True when the limit is passed."""
    cache.add(key, 0, HOUR)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)
        used = 1
    return used > limit


def _failed_too_often(number: str) -> bool:
    return (cache.get(f"events:track-fail:{number}") or 0) >= settings.EVENT_TRACK_LIMIT_PER_NUMBER


def _tracked(request) -> list[int]:
    return list(request.session.get(SESSION_KEY, []))


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """Find a report by its number and the last four digits of the phone given with it."""
    form = TrackForm(request.POST or None)
    event = None
    if request.method == "POST" and form.is_valid():
        number, last4 = form.cleaned_data["number"], form.cleaned_data["last4"]
        if _over_limit(f"events:track-ip:{client_ip(request)}", settings.EVENT_TRACK_LIMIT_PER_IP):
            form.add_error(None, _("Too many lookups from your network. Try again in an hour."))
        elif _failed_too_often(number):
            form.add_error(
                None,
                _(
                    "Too many wrong attempts for this number. Try again in an "
                    "hour, or call the hotline 12345."
                ),
            )
        else:
            event = Event.objects.filter(number=number).exclude(phone_last4_hash="").first()
            expected = event.phone_last4_hash if event else last4_hash(number, "0000")
            if event is None or not hmac.compare_digest(expected, last4_hash(number, last4)):
                cache.add(f"events:track-fail:{number}", 0, HOUR)
                cache.incr(f"events:track-fail:{number}")
                event = None
                form.add_error(None, _("No report matches this number and these digits."))
            else:
                request.session[SESSION_KEY] = [*_tracked(request)[-9:], event.pk]
                return redirect("events:public_status", number=event.number)
    return render(request, "events/public/track.html", {"form": form})


def _tracked_event(request, number: str) -> Event:
    event = (
        Event.objects.select_related("item_version", "grid__parent").filter(number=number).first()
    )
    if event is None or event.pk not in _tracked(request):
        raise PermissionDenied(_("Enter the tracking number and your phone digits first."))
    return event


@login_not_required
@never_cache
@require_http_methods(["GET"])
def public_status(request, number):
    event = _tracked_event(request, number)
    return render(
        request, "events/public/status.html", _status_context(event, RateForm(event=event))
    )


def _status_context(event, form) -> dict:
    steps = [e for e in event.flow.select_related("actor_unit") if e.action in PUBLIC_STEPS]
    return {
        "event": event,
        "steps": steps,
        "rate_form": form if event.status == EventStatus.VERIFIED and not event.rating else None,
    }


@login_not_required
@require_POST
def public_rate(request, number):
    event = _tracked_event(request, number)
    form = RateForm(request.POST, event=event)
    if form.is_valid():
        try:
            done = call_service(form, form.run, actor=None, request=request, resident=True)
        except (Conflict, PermissionDenied) as exc:
            messages.error(
                request, str(exc) if isinstance(exc, PermissionDenied) else " ".join(exc.messages)
            )
            return redirect("events:public_status", number=number)
        if done is not None:
            messages.success(request, _("Thank you for your rating."))
            return redirect("events:public_status", number=number)
    return render(request, "events/public/status.html", _status_context(event, form))


@login_not_required
@require_http_methods(["GET", "POST"])
def public_report(request):
    """A resident reports a problem; it waits for a dispatcher to accept it."""
    form = PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if _over_limit(
            f"events:report-ip:{client_ip(request)}", settings.EVENT_PUBLIC_REPORTS_PER_IP
        ):
            form.add_error(None, _("Too many reports from your network. Try again in an hour."))
        else:
            event = call_service(form, form.run, actor=None, request=request)
            if event is not None:
                request.session[SESSION_KEY] = [*_tracked(request)[-9:], event.pk]
                messages.success(
                    request,
                    _(
                        "Thank you. Your tracking number is %(number)s; "
                        "keep it to follow your report."
                    )
                    % {"number": event.number},
                )
                return redirect("events:public_status", number=event.number)
    items = list(form.fields["item"].queryset.order_by("current__category__code", "code"))
    return render(
        request,
        "events/public/report.html",
        {"form": form, "items": items, "recent": [], "public": True},
    )
