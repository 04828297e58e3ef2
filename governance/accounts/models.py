"""Staff accounts and the roles they hold over the territory."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from governance.accounts.roles import ROLE_ORDER, Role
from governance.scoping import RestrictedQuerySet, Scope, ScopedModel


class UserQuerySet(RestrictedQuerySet):
    pass


class StaffManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(ScopedModel, AbstractUser):
    """A member of staff: a grid worker, a dispatcher, a department handler, an admin…"""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    unit = models.ForeignKey(
        "grids.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("unit"),
    )

    objects = StaffManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        """Staff holding a role somewhere inside the scope (the worker list of a street)."""
        if scope.everywhere:
            return Q()
        inside = RoleAssignment.objects.filter(user=OuterRef("pk")).filter(scope.q("area__code"))
        return Q(Exists(inside))

    def scope_codes(self) -> list[str]:
        return [a.area.code for a in self.loaded_role_assignments() if a.area_id]

    def loaded_role_assignments(self) -> list["RoleAssignment"]:
        """The user's role assignments, loaded once per instance (one query per request)."""
        if "_roles_cache" not in self.__dict__:
            self.__dict__["_roles_cache"] = list(
                self.role_assignments.select_related("area", "unit")
            )
        return self.__dict__["_roles_cache"]

    @cached_property
    def roles(self) -> list[str]:
        """Distinct roles held, in the presentation order of ``ROLE_ORDER``."""
        held = {a.role for a in self.loaded_role_assignments()}
        if self.is_superuser:
            held.add(Role.ADMIN)
        return [role for role in ROLE_ORDER if role in held]

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


class RoleAssignment(models.Model):
    """One role a user holds over an area (and, for department handlers, in a unit)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    area = models.ForeignKey(
        "grids.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("area"),
    )
    unit = models.ForeignKey(
        "grids.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role", "area__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area"], name="role_assignment_unique_per_area"
            ),
            models.CheckConstraint(
                name="role_assignment_area_unless_admin",
                condition=Q(role=Role.ADMIN, area__isnull=True)
                | (~Q(role=Role.ADMIN) & Q(area__isnull=False)),
            ),
            models.CheckConstraint(
                name="role_assignment_department_handler_has_unit",
                condition=~Q(role=Role.DEPARTMENT_HANDLER) | Q(unit__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["role", "area"], name="role_assignment_role_area")]

    def __str__(self) -> str:
        where = self.unit or self.area
        return f"{self.get_role_display()} · {where}" if where else self.get_role_display()
