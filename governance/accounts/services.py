"""Writes to staff accounts and their roles."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.accounts.models import RoleAssignment, User
from governance.accounts.roles import Role, rule
from governance.audit.services import audit_record
from governance.scoping import perm_name, user_scope
from grids.choices import AreaLevel, UnitKind
from grids.models import Area, Unit


def _require_manager(actor, action: str, code: str | None = None) -> None:
    scope = user_scope(actor, perm_name(User, action))
    allowed = scope.everywhere if code is None else scope.covers(code)
    if not allowed:
        raise PermissionDenied(_("You may not manage staff accounts here."))


USER_FIELDS = ("full_name", "phone", "email", "unit", "is_active")


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    unit: Unit | None = None,
) -> User:
    """Open an account; roles are granted separately with ``role_assign``."""
    _require_manager(actor, "add")
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        unit=unit,
    )
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", target=user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, **changes) -> User:
    """Change a staff member's details, or (de)activate the account."""
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"user_update cannot change {sorted(unknown)}")
    _require_manager(actor, "change")
    user = User.objects.select_for_update().get(pk=user.pk)
    if changes.get("is_active") is False and user.pk == actor.pk:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    before = {name: str(getattr(user, name)) for name in changes}
    for name, value in changes.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password"])
    user.save()
    after = {name: str(getattr(user, name)) for name in changes}
    changed = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
    if changed:
        audit_record(actor=actor, action="user.update", target=user, detail=changed)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """Set a new password (checked by the password validators)."""
    if actor.pk != user.pk:
        _require_manager(actor, "change")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.set_password", target=user)
    return user


def _check_assignment(assignment: RoleAssignment) -> None:
    """The area and unit must fit the role (a grid worker on a grid, a handler in a department)."""
    r = rule(assignment.role)
    errors: dict[str, str] = {}
    if r.unit_kinds:
        if assignment.unit is None:
            errors["unit"] = _("Choose the unit this role works in.")
        elif assignment.unit.kind not in r.unit_kinds:
            errors["unit"] = _("This role works in a %(kinds)s.") % {
                "kinds": ", ".join(str(UnitKind(k).label) for k in r.unit_kinds)
            }
        else:
            assignment.area = assignment.unit.area
    if not r.area_levels:
        assignment.area = None
        assignment.unit = None
    elif assignment.area is None:
        errors.setdefault("area", _("Choose the area this role covers."))
    elif assignment.area.level not in r.area_levels:
        errors["area"] = _("A %(role)s covers a %(levels)s.") % {
            "role": Role(assignment.role).label,
            "levels": _(" or ").join(str(AreaLevel(lv).label) for lv in r.area_levels),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def role_assign(
    *, actor, user: User, role: str, area: Area | None = None, unit: Unit | None = None
) -> RoleAssignment:
    """Grant ``role`` to ``user`` over ``area`` (for department roles: in ``unit``)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    assignment = RoleAssignment(user=user, role=role, area=area, unit=unit, created_by=actor)
    _check_assignment(assignment)
    _require_manager(actor, "change", assignment.area.code if assignment.area else None)
    existing = RoleAssignment.objects.filter(user=user, role=role)
    if existing.filter(area=assignment.area).exists():
        raise ValidationError({"role": _("The user already holds this role there.")})
    limit = rule(role).max_per_user
    if limit is not None and existing.count() >= limit:
        raise ValidationError(
            {
                "area": _("A %(role)s may hold at most %(n)s of these.")
                % {"role": Role(role).label, "n": limit}
            }
        )
    assignment.save()
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit_record(
        actor=actor,
        action="role.assign",
        target=user,
        detail={
            "role": role,
            "area": assignment.area.code if assignment.area else None,
            "unit": assignment.unit_id,
        },
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    """Take a role away."""
    assignment = RoleAssignment.objects.select_related("area", "user").get(pk=assignment.pk)
    _require_manager(actor, "change", assignment.area.code if assignment.area else None)
    if assignment.role == Role.ADMIN and assignment.user_id == actor.pk:
        raise ValidationError(_("You cannot remove your own administrator role."))
    user = assignment.user
    detail = {"role": assignment.role, "area": assignment.area.code if assignment.area else None}
    assignment.delete()
    if detail["role"] == Role.ADMIN and not user.is_superuser:
        User.objects.filter(pk=user.pk).update(is_staff=False)
    audit_record(actor=actor, action="role.revoke", target=user, detail=detail)
