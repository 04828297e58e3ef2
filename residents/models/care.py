"""Special-care groups (特殊人群 / 关爱人群): groups, who may see them, memberships, visits.

Which groups a role may see is data (``CareGroupAccess``), kept by administrators, so that a
department handler sees none until a group is granted to their role. A membership's next visit
is due ``interval`` days after the last visit (or the start); ``next_due_on`` is a column, so
"overdue" is one indexed comparison.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.accounts.roles import Role
from governance.scoping import RestrictedQuerySet, perm_name, user_scope
from grids.choices import DepartmentType
from residents.choices import CareLevel, DueState, EndReason, HelperKind, VisitMethod
from residents.models.base import ChainScopedModel

DUE_SOON_DAYS = 7


class CareGroup(models.Model):
    """A special-care group; administrators add groups and set their visit intervals."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("special-care group")
        verbose_name_plural = _("special-care groups")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class CareInterval(models.Model):
    """How often a member of a group at a level is visited."""

    group = models.ForeignKey(
        CareGroup, on_delete=models.CASCADE, related_name="intervals", verbose_name=_("group")
    )
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("care", "level"), choices=CareLevel.choices
    )
    days = models.PositiveSmallIntegerField(
        _("visit every (days)"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )

    class Meta:
        verbose_name = _("visit interval")
        verbose_name_plural = _("visit intervals")
        ordering = ["group__sort_order", "level"]
        constraints = [
            models.UniqueConstraint(fields=["group", "level"], name="care_interval_once_per_level"),
            models.CheckConstraint(
                name="care_interval_days_in_range", condition=Q(days__gte=1, days__lte=366)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.get_level_display()} · {self.days}"


class CareGroupAccess(models.Model):
    """A role may see the memberships of a group (inside the area of its assignment).

    For department handlers the row may name a department type: then only handlers of a
    department of that type see the group (severe mental illness: health and police; community
    correction: the judicial office). A row without a type opens the group to every department.
    """

    group = models.ForeignKey(
        CareGroup, on_delete=models.CASCADE, related_name="access", verbose_name=_("group")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    department_type = models.CharField(
        _("department type"),
        max_length=24,
        choices=DepartmentType.choices,
        blank=True,
        help_text=_("Department handlers only: leave empty to open the group to every department."),
    )

    class Meta:
        verbose_name = _("group visibility")
        verbose_name_plural = _("group visibility")
        ordering = ["group__sort_order", "role", "department_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "role", "department_type"], name="care_access_once_per_role"
            ),
            models.CheckConstraint(
                name="care_access_department_type_for_departments",
                condition=Q(department_type="") | Q(role=Role.DEPARTMENT_HANDLER),
            ),
        ]

    def __str__(self) -> str:
        if self.department_type:
            return (
                f"{self.group} · {self.get_role_display()} · {self.get_department_type_display()}"
            )
        return f"{self.group} · {self.get_role_display()}"


def visibility_table() -> dict[str, list[tuple[str, int]]]:
    """{role: [(department type or "", group id), ...]} (one small query)."""
    result: dict[str, list[tuple[str, int]]] = {}
    rows = CareGroupAccess.objects.values_list("role", "department_type", "group_id")
    for role, department_type, group_id in rows:
        result.setdefault(role, []).append((department_type, group_id))
    return result


def groups_of_assignment(table, assignment) -> set[int]:
    """The groups one role assignment may see: its role's rows, and for a department handler
    only the rows without a type or with the type of the assignment's unit."""
    unit_type = assignment.unit.department_type if assignment.unit_id else ""
    return {
        group_id
        for department_type, group_id in table.get(assignment.role, ())
        if not department_type or department_type == unit_type
    }


def visible_group_ids(user) -> set[int]:
    """Every group some role assignment of ``user`` may see (cached on the user object)."""
    cache = user.__dict__.setdefault("_care_groups", {})
    if "table" not in cache:
        cache["table"] = visibility_table()
    return {
        group_id
        for assignment in user.loaded_role_assignments()
        for group_id in groups_of_assignment(cache["table"], assignment)
    }


def care_visibility_q(user, action: str, *, prefix: str = "") -> Q | None:
    """Memberships ``user`` may ``action``: inside each role assignment's area, only the groups
    that role (and, for departments, that department type) may see. ``None`` means no
    restriction (administrators)."""
    perm = perm_name(CareMembership, action)
    if user_scope(user, perm).everywhere:
        return None
    cache = user.__dict__.setdefault("_care_groups", {})
    if "table" not in cache:
        cache["table"] = visibility_table()
    from governance.accounts.roles import role_grants

    parts = []
    for assignment in user.loaded_role_assignments():
        if assignment.area_id is None or not role_grants(assignment.role, perm):
            continue
        groups = groups_of_assignment(cache["table"], assignment)
        if groups:
            parts.append(
                Q(**{f"{prefix}resident__grid__code__startswith": assignment.area.code})
                & Q(**{f"{prefix}group_id__in": sorted(groups)})
            )
    return reduce(or_, parts) if parts else Q(pk__in=[])


class CareMembershipQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        queryset = super().restrict(user, action)
        condition = care_visibility_q(user, action) if user.is_authenticated else Q(pk__in=[])
        return queryset if condition is None else queryset.filter(condition)

    def active(self):
        return self.filter(ended_on__isnull=True)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.active().filter(next_due_on__lt=today)

    def due_soon(self, today=None):
        import datetime

        today = today or timezone.localdate()
        return self.active().filter(
            next_due_on__gte=today, next_due_on__lte=today + datetime.timedelta(DUE_SOON_DAYS)
        )


class CareMembership(ChainScopedModel, models.Model):
    """A resident's place in a special-care group: level, period, helpers, visit schedule."""

    scope_area_field = "resident__grid"

    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        related_name="care_memberships",
        verbose_name=_("resident"),
    )
    group = models.ForeignKey(
        CareGroup, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("group")
    )
    level = models.PositiveSmallIntegerField(
        _("care or risk level"), choices=CareLevel.choices, default=CareLevel.MEDIUM
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=16, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("note on ending"), max_length=200, blank=True)
    interval_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    last_visited_on = models.DateField(_("last visited on"), null=True, blank=True)
    next_due_on = models.DateField(_("next visit due"))
    notes = models.TextField(_("notes"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CareMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("special-care membership")
        verbose_name_plural = _("special-care memberships")
        ordering = ["next_due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "group"],
                condition=Q(ended_on__isnull=True),
                name="care_membership_one_open_per_group",
            ),
            models.CheckConstraint(
                name="care_membership_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_due_on"],
                condition=Q(ended_on__isnull=True),
                name="care_membership_open_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.group}"

    def due_state(self, today=None) -> str:
        import datetime

        today = today or timezone.localdate()
        if self.next_due_on < today:
            return DueState.OVERDUE
        if self.next_due_on <= today + datetime.timedelta(DUE_SOON_DAYS):
            return DueState.DUE_SOON
        return DueState.OK

    def days_overdue(self, today=None) -> int:
        today = today or timezone.localdate()
        return max(0, (today - self.next_due_on).days)


class CareLevelChange(models.Model):
    """One change of a membership's care or risk level: the history staff and auditors read."""

    membership = models.ForeignKey(
        CareMembership, on_delete=models.CASCADE, related_name="level_changes",
        verbose_name=_("membership"),
    )  # fmt: skip
    from_level = models.PositiveSmallIntegerField(_("from level"), choices=CareLevel.choices)
    to_level = models.PositiveSmallIntegerField(_("to level"), choices=CareLevel.choices)
    interval_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    reason = models.CharField(_("reason"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("changed by"),
    )  # fmt: skip
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("level change")
        verbose_name_plural = _("level changes")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="care_level_change_changes", condition=~Q(from_level=models.F("to_level"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.from_level} → {self.to_level}"


class CareHelper(models.Model):
    """A member of a membership's helper team: a staff user, or a named person (family
    member, doctor…) of the "3 helpers for 1" team."""

    membership = models.ForeignKey(
        CareMembership, on_delete=models.CASCADE, related_name="helpers",
        verbose_name=_("membership"),
    )  # fmt: skip
    kind = models.CharField(_("helper is a"), max_length=14, choices=HelperKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="care_helper_of", verbose_name=_("staff member"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                name="care_helper_user_or_name", condition=Q(user__isnull=False) | ~Q(name="")
            )
        ]

    def __str__(self) -> str:
        return self.user.display_name if self.user_id else self.name


class VisitQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        queryset = super().restrict(user, action)
        condition = (
            care_visibility_q(user, "view", prefix="membership__")
            if user.is_authenticated
            else Q(pk__in=[])
        )
        return queryset if condition is None else queryset.filter(condition)


def visit_photo_path(instance, filename: str) -> str:
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower()
    today = timezone.localdate()
    return f"residents/visits/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Visit(ChainScopedModel, models.Model):
    """A visit to a special-care resident: who, when, how, what was found, a photo."""

    scope_area_field = "membership__resident__grid"

    membership = models.ForeignKey(
        CareMembership, on_delete=models.PROTECT, related_name="visits",
        verbose_name=_("membership"),
    )  # fmt: skip
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("visited by"),
    )  # fmt: skip
    visited_at = models.DateTimeField(_("visited at"))
    method = models.CharField(_("how"), max_length=8, choices=VisitMethod.choices)
    finding = models.TextField(_("finding"), max_length=2000)
    photo = models.ImageField(_("photo"), upload_to=visit_photo_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.membership} {timezone.localtime(self.visited_at):%Y-%m-%d}"
