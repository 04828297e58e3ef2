"""Staff pages: the directory, a person's roles, accounts. Thin: scoping via governance.web,
writes via governance.accounts.services."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.accounts import selectors, services
from governance.accounts.forms import (
    ConfirmForm,
    RoleAssignForm,
    StaffActiveForm,
    StaffCreateForm,
    StaffEditForm,
    StaffFilterForm,
    StaffPasswordForm,
    focus_first_error,
)
from governance.accounts.models import User
from governance.scoping import object_allowed, perm_name
from governance.web import call_service, paginate, require_perm, scoped_get, scoped_list
from grids.models import Area, Unit

STAFF = User.objects.select_related("unit__area")


@require_GET
def staff_list(request):
    users = scoped_list(request.user, selectors.staff_with_roles())
    units = Unit.objects.restrict(request.user, "view").filter(is_active=True)
    form = StaffFilterForm(request.GET or None, units=units.select_related("area"))
    users = selectors.staff_filter(users, **form.filters())
    return render(
        request,
        "accounts/staff_list.html",
        {
            "page": paginate(request, users),
            "form": form,
            "can_add": request.user.has_perm(perm_name(User, "add")),
        },
    )


def _role_form(request, data=None) -> RoleAssignForm:
    user = request.user
    return RoleAssignForm(
        data,
        areas=selectors.assignable_areas(user),
        units=selectors.assignable_units(user),
        may_grant_admin=selectors.manage_scope(user).everywhere,
    )


def _render_detail(request, person: User, *, role_form=None, action_form=None):
    """The detail page; a refused role or status change re-renders it (200) with its form."""
    viewer = request.user
    can_change = object_allowed(viewer, person, "change")
    manages = selectors.manage_scope(viewer)
    assignments = list(selectors.assignments_of(person))
    areas = selectors.visible_ids(viewer, Area, [a.area_id for a in assignments])
    units = selectors.visible_ids(viewer, Unit, [a.unit_id for a in assignments] + [person.unit_id])
    rows = [
        {
            "assignment": a,
            "area_link": a.area_id in areas,
            "unit_link": a.unit_id in units,
            # role_revoke checks the assignment's own area (none: admin) against the scope.
            "removable": can_change and manages.covers(a.area.code if a.area_id else None),
        }
        for a in assignments
    ]
    if can_change and role_form is None:
        role_form = _role_form(request)
    if role_form is not None:
        focus_first_error(role_form)
    context = {
        "person": person,
        "rows": rows,
        "unit_link": person.unit_id in units,
        "can_change": can_change,
        "is_self": person.pk == viewer.pk,
        "role_form": role_form,
        "action_form": action_form,
    }
    return render(request, "accounts/staff_detail.html", context)


@require_GET
def staff_detail(request, pk):
    return _render_detail(request, scoped_get(request.user, STAFF, pk))


@require_http_methods(["GET", "POST"])
def staff_create(request):
    viewer = request.user
    require_perm(viewer, User, "add")
    units = selectors.assignable_units(viewer)
    form = StaffCreateForm(
        request.POST or None,
        areas=selectors.assignable_areas(viewer),
        units=units,
        may_grant_admin=selectors.manage_scope(viewer).everywhere,
    )
    if request.method == "POST" and form.is_valid():
        user = _create_with_role(request, form)
        if user is not None:
            messages.success(request, _("Account %(user)s created.") % {"user": user})
            return redirect("accounts:staff_detail", pk=user.pk)
    return render(request, "accounts/staff_form.html", {"form": focus_first_error(form)})


def _create_with_role(request, form: StaffCreateForm) -> User | None:
    """Open the account and grant the first role in one transaction: both or neither."""
    with transaction.atomic():
        user = call_service(form, services.user_create, actor=request.user, **form.account_data())
        role = form.role_data()
        if user is None or role is None:
            return user
        try:
            services.role_assign(actor=request.user, user=user, **role)
        except ValidationError as exc:
            form.add_role_errors(exc)
            transaction.set_rollback(True)
            return None
    return user


@require_http_methods(["GET", "POST"])
def staff_edit(request, pk):
    person = scoped_get(request.user, STAFF, pk, "change")
    units = selectors.assignable_units(request.user)
    if person.unit_id:  # keep the current unit choosable even if it is out of reach now
        units = units | Unit.objects.filter(pk=person.unit_id).select_related("area")
    initial = {name: getattr(person, name) for name in services.USER_FIELDS}
    form = StaffEditForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.user_update, actor=request.user, user=person, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("Account %(user)s saved.") % {"user": saved})
            return redirect("accounts:staff_detail", pk=person.pk)
    context = {"form": focus_first_error(form), "person": person}
    return render(request, "accounts/staff_form.html", context)


@require_http_methods(["GET", "POST"])
def staff_password(request, pk):
    person = scoped_get(request.user, STAFF, pk, "change")
    form = StaffPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.user_set_password,
            actor=request.user,
            user=person,
            password=form.cleaned_data["password"],
        )
        if saved is not None:
            if saved.pk == request.user.pk:
                update_session_auth_hash(request, saved)  # stay signed in
            messages.success(request, _("Password of %(user)s set.") % {"user": saved})
            return redirect("accounts:staff_detail", pk=person.pk)
    context = {"form": focus_first_error(form), "person": person}
    return render(request, "accounts/staff_password.html", context)


@require_POST
def staff_set_active(request, pk):
    """Deactivate or reactivate an account."""
    person = scoped_get(request.user, STAFF, pk, "change")
    form = StaffActiveForm(request.POST)
    if form.is_valid():
        active = form.cleaned_data["is_active"]
        saved = call_service(
            form, services.user_update, actor=request.user, user=person, is_active=active
        )
        if saved is not None:
            text = (
                _("Account %(user)s reactivated.") if active else _("Account %(user)s deactivated.")
            )
            messages.success(request, text % {"user": saved})
            return redirect("accounts:staff_detail", pk=person.pk)
    return _render_detail(request, person, action_form=form)


@require_POST
def role_add(request, pk):
    person = scoped_get(request.user, STAFF, pk, "change")
    form = _role_form(request, request.POST)
    if form.is_valid():
        assignment = call_service(
            form, services.role_assign, actor=request.user, user=person, **form.cleaned_data
        )
        if assignment is not None:
            messages.success(request, _("Role %(role)s granted.") % {"role": assignment})
            return redirect("accounts:staff_detail", pk=person.pk)
    return _render_detail(request, person, role_form=form)


@require_POST
def role_remove(request, pk, assignment_pk):
    person = scoped_get(request.user, STAFF, pk, "change")
    assignment = get_object_or_404(
        person.role_assignments.select_related("area", "unit"), pk=assignment_pk
    )
    form = ConfirmForm(request.POST)
    form.is_valid()  # nothing to check; the form carries the service's refusal back
    label = str(assignment)
    call_service(form, services.role_revoke, actor=request.user, assignment=assignment)
    if form.errors:
        return _render_detail(request, person, action_form=form)
    messages.success(request, _("Role %(role)s removed.") % {"role": label})
    if not User.objects.restrict(request.user, "view").filter(pk=person.pk).exists():
        return redirect("accounts:staff_list")  # their last role in the viewer's scope went
    return redirect("accounts:staff_detail", pk=person.pk)
