"""Reads of staff accounts: the directory, one person's roles, and what a manager may assign."""

from __future__ import annotations

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When

from governance.accounts.models import RoleAssignment, User
from governance.accounts.roles import ROLE_ORDER
from governance.scoping import Scope, perm_name, user_scope
from grids.models import Area, Unit

NO_ROLE = "none"  # the directory's role filter value for accounts holding no role at all

# Role assignments in the presentation order of ROLE_ORDER, then by area.
_ROLE_RANK = Case(*(When(role=role, then=Value(i)) for i, role in enumerate(ROLE_ORDER)))


def ordered_assignments() -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.select_related("area", "unit").order_by(
        _ROLE_RANK, "area__code", "pk"
    )


def staff_with_roles() -> QuerySet[User]:
    """Users with their unit and role assignments (areas and units) loaded in fixed queries."""
    return User.objects.select_related("unit").prefetch_related(
        Prefetch("role_assignments", queryset=ordered_assignments(), to_attr="role_rows")
    )


def staff_filter(
    users: QuerySet[User],
    *,
    query: str = "",
    role: str = "",
    unit: Unit | None = None,
    status: str = "active",
) -> QuerySet[User]:
    """Narrow a (scoped) directory: text over username, name and phone; role; unit; status.

    ``unit`` matches the account's own unit and the unit of any of its role assignments (a
    department handler works in the unit named on the role).
    """
    query = query.strip()
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(phone__icontains=query)
        )
    holds = RoleAssignment.objects.filter(user=OuterRef("pk"))
    if role == NO_ROLE:
        users = users.filter(~Exists(holds))
    elif role:
        users = users.filter(Exists(holds.filter(role=role)))
    if unit is not None:
        users = users.filter(Q(unit=unit) | Exists(holds.filter(unit=unit)))
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    return users.order_by("username")


def assignments_of(user: User) -> QuerySet[RoleAssignment]:
    """One person's role assignments, with who granted them."""
    return ordered_assignments().filter(user=user).select_related("created_by")


def manage_scope(user) -> Scope:
    """Where ``user`` may grant and take away roles (what ``role_assign`` checks)."""
    return user_scope(user, perm_name(User, "change"))


def assignable_areas(user) -> QuerySet[Area]:
    """Active areas a role may be granted over by ``user``."""
    return Area.objects.filter(is_active=True).filter(manage_scope(user).q("code")).order_by("code")


def assignable_units(user) -> QuerySet[Unit]:
    """Active units inside the areas ``user`` manages."""
    return (
        Unit.objects.filter(is_active=True)
        .filter(manage_scope(user).q("area__code"))
        .select_related("area")
        .order_by("area__code", "kind", "name")
    )


def visible_ids(user, model: type[Area] | type[Unit], ids) -> set[int]:
    """Which of ``ids`` the user may open (to link only to pages that will not 404)."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return set()
    return set(model.objects.restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True))
