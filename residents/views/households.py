"""Households (户): a page per household (number, head, members with their relation to the
head, the house), and creating one from a house. Each form posts its ``action``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.scoping import object_allowed
from governance.web import call_service, scoped_get
from residents import selectors, services
from residents.choices import ResidentStatus
from residents.forms import AddMemberForm, HouseholdCreateForm, HouseholdNumberForm, SetHeadForm
from residents.models import House, Household, Resident

HOUSEHOLDS = Household.objects.select_related("grid__parent", "house__building", "head")


@require_http_methods(["GET", "POST"])
def household_detail(request, pk):
    household = scoped_get(request.user, HOUSEHOLDS, pk)
    can_change = object_allowed(request.user, household, "change")
    members = list(selectors.household_members(household))
    member_ids = {m.pk for m in members}
    candidates = (
        Resident.objects.restrict(request.user, "change")
        .filter(status=ResidentStatus.PRESENT, grid=household.grid_id)
        .exclude(pk__in=member_ids)
        .select_related("household")
        .order_by("name")
    )
    if household.house_id:
        candidates = candidates.filter(house=household.house_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    member_queryset = Resident.objects.filter(household=household).order_by("name")
    forms = {
        "number_form": HouseholdNumberForm(
            data if action == "number" else None, initial={"number": household.number}
        ),
        "head_form": SetHeadForm(
            data if action == "set_head" else None,
            members=member_queryset.exclude(pk=household.head_id or 0),
        ),
        "add_form": AddMemberForm(data if action == "add_member" else None, candidates=candidates),
    }
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Your role does not allow this."))
        done = _act(request, household, action, forms, member_queryset)
        if done:
            messages.success(request, done)
            return redirect("residents:household_detail", pk=household.pk)
    return render(
        request,
        "residents/household_detail.html",
        {
            "household": household,
            "members": members,
            "head_away": household.head_id is not None
            and household.head.status != ResidentStatus.PRESENT,
            "can_change": can_change,
            **forms,
        },
    )


def _act(request, household, action, forms, member_queryset) -> str | None:
    actor = request.user
    if action == "number":
        form = forms["number_form"]
        if form.is_valid() and call_service(
            form, services.household_update, actor=actor, household=household,
            number=form.cleaned_data["number"],
        ):  # fmt: skip
            return _("Household number saved.")
    elif action == "set_head":
        form = forms["head_form"]
        if form.is_valid() and call_service(
            form, services.household_set_head, actor=actor, household=household,
            **form.cleaned_data,
        ):  # fmt: skip
            return _("%(name)s is now the head of the household.") % {
                "name": form.cleaned_data["head"].name
            }
    elif action == "add_member":
        form = forms["add_form"]
        if form.is_valid() and call_service(
            form, services.household_add_member, actor=actor, household=household,
            **form.cleaned_data,
        ):  # fmt: skip
            return _("%(name)s added to the household.") % {
                "name": form.cleaned_data["resident"].name
            }
    elif action in ("remove_member", "split"):
        member = member_queryset.filter(pk=request.POST.get("resident") or 0).first()
        if member is None:
            messages.error(request, _("This person is not a member of the household."))
            return None
        form = forms["add_form"]
        service = (
            services.household_remove_member
            if action == "remove_member"
            else (services.household_split)
        )
        result = call_service(form, service, actor=actor, household=household, resident=member)
        if result is not None:
            if action == "split":
                return _("%(name)s now heads a household of their own.") % {"name": member.name}
            return _("%(name)s left the household.") % {"name": member.name}
        for error in form.non_field_errors() or [e for es in form.errors.values() for e in es]:
            messages.error(request, error)
    return None


@require_http_methods(["GET", "POST"])
def household_create(request, house_pk):
    """Start a household in a house, headed by one of its residents."""
    house = scoped_get(request.user, House.objects.select_related("building__grid"), house_pk)
    if not object_allowed(request.user, Household(grid=house.building.grid), "add"):
        raise PermissionDenied(_("Your role does not allow this."))
    residents = (
        Resident.objects.restrict(request.user, "change")
        .filter(house=house, status=ResidentStatus.PRESENT)
        .select_related("household")
        .order_by("name")
    )
    form = HouseholdCreateForm(request.POST or None, residents=residents)
    if request.method == "POST" and form.is_valid():
        household = call_service(
            form, services.household_create, actor=request.user, house=house,
            **form.cleaned_data,
        )  # fmt: skip
        if household is not None:
            messages.success(request, _("Household created."))
            return redirect("residents:household_detail", pk=household.pk)
    return render(request, "residents/household_form.html", {"form": form, "house": house})
