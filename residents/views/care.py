"""A special-care membership after enrolment: visits, level changes with their history, the
helper team, ending the membership. One page; each form posts its ``action``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.audit.models import AuditEntry
from governance.scoping import object_allowed
from governance.web import call_service, scoped_get
from residents import services
from residents.forms import HelperForm, LevelForm, MembershipEndForm, VisitForm
from residents.models import CareHelper, CareMembership, Visit
from residents.services.care import helper_candidates, missing_team_roles

MEMBERSHIPS = CareMembership.objects.select_related(
    "resident__grid", "resident__house__building", "group"
)
HISTORY = 50


def _forms(request, membership, action: str):
    """The page's forms; only the one that was posted is bound."""
    data = request.POST if request.method == "POST" else None

    def bound(name):
        return data if action == name else None

    today = timezone.localdate()
    return {
        "form": VisitForm(bound("visit"), request.FILES if action == "visit" else None),
        "level_form": LevelForm(bound("level"), initial={"level": membership.level}),
        "helper_form": HelperForm(
            bound("helper_add"), staff=helper_candidates(membership.resident)
        ),
        "end_form": MembershipEndForm(bound("end"), initial={"ended_on": today}),
    }


@require_http_methods(["GET", "POST"])
def membership_detail(request, pk):
    """A membership: schedule, helpers, visits, level history; a grid worker records a visit
    here, community staff change the level, the helpers, or end it."""
    membership = scoped_get(request.user, MEMBERSHIPS, pk)
    can_visit = object_allowed(request.user, Visit(membership=membership), "add")
    can_change = object_allowed(request.user, membership, "change")
    action = request.POST.get("action", "visit") if request.method == "POST" else ""
    forms = _forms(request, membership, action)
    if request.method == "POST":
        if (action == "visit" and not can_visit) or (action != "visit" and not can_change):
            raise PermissionDenied(_("Your role does not allow this."))
        done = _act(request, membership, action, forms)
        if done:
            messages.success(request, done)
            return redirect("residents:membership_detail", pk=membership.pk)
    helpers = list(membership.helpers.select_related("user"))
    history = list(membership.level_changes.select_related("changed_by")[:HISTORY])
    trail = (
        AuditEntry.objects.filter(target_type="residents.caremembership", target_id=str(pk))
        .exclude(action__in=("care.visit", "care.level"))
        .select_related("actor")
        .order_by("-created_at", "-id")[:HISTORY]
    )
    is_open = membership.ended_on is None
    return render(
        request,
        "residents/membership_detail.html",
        {
            "membership": membership,
            "helpers": helpers,
            "missing": missing_team_roles(membership, helpers) if is_open else [],
            "visits": membership.visits.select_related("visitor")[:50],
            "history": history,
            "trail": trail,
            **forms,
            "can_visit": can_visit and is_open,
            "can_change": can_change and is_open,
            "today": timezone.localdate(),
        },
    )


def _act(request, membership, action: str, forms) -> str | None:
    """Run the posted action through its service; the success message, or None (errors are
    on the form)."""
    actor = request.user
    if action == "visit":
        form = forms["form"]
        if form.is_valid() and call_service(
            form, services.visit_record, actor=actor, membership=membership, **form.cleaned_data
        ):
            return _("Visit recorded.")
    elif action == "level":
        form = forms["level_form"]
        if form.is_valid() and call_service(
            form, services.membership_change_level, actor=actor, membership=membership,
            **form.cleaned_data,
        ):  # fmt: skip
            return _("Level changed; the next visit is due on the new schedule.")
    elif action == "helper_add":
        form = forms["helper_form"]
        if form.is_valid() and call_service(
            form, services.membership_helper_add, actor=actor, membership=membership,
            **form.cleaned_data,
        ):  # fmt: skip
            return _("Helper added.")
    elif action == "helper_remove":
        helper = CareHelper.objects.filter(
            membership=membership, pk=request.POST.get("helper") or 0
        ).first()
        if helper is not None:
            form = forms["helper_form"]
            call_service(
                form, services.membership_helper_remove, actor=actor, membership=membership,
                helper=helper,
            )  # fmt: skip
            if not form.errors:
                return _("Helper removed.")
        else:
            messages.error(request, _("This helper is not on the team."))
    elif action == "end":
        form = forms["end_form"]
        if form.is_valid() and call_service(
            form, services.membership_end, actor=actor, membership=membership,
            **form.cleaned_data,
        ):  # fmt: skip
            return _("Membership ended.")
    return None
