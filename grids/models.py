"""The territory (district → street → community → grid) and the units that work in it."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from governance.scoping import RestrictedQuerySet, Scope, ScopedModel
from grids.choices import (
    CODE_LENGTH,
    AreaLevel,
    DepartmentType,
    GridType,
    UnitKind,
    ancestor_codes,
)

models.CharField.register_lookup(Length)


class AreaQuerySet(RestrictedQuerySet):
    def grids(self):
        return self.filter(level=AreaLevel.GRID)

    def under(self, area: "Area"):
        """The area and everything below it."""
        return self.filter(code__startswith=area.code)


class Area(ScopedModel, models.Model):
    """A node of the territory tree; its code is a path, so descendants share its prefix."""

    scope_area_field = ""

    level = models.CharField(_("level"), max_length=12, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent area"),
    )
    code = models.CharField(
        _("code"),
        max_length=15,
        unique=True,
        help_text=_(
            "Administrative code: 6 digits for a district, 9 for a street, 12 for a community, "
            "15 for a grid; it starts with the parent's code."
        ),
    )
    name = models.CharField(_("name"), max_length=100)
    grid_type = models.CharField(
        _("grid type"), max_length=20, choices=GridType.choices, blank=True
    )
    # GeoJSON geometry (Polygon or MultiPolygon, WGS84 longitude/latitude), validated with
    # shapely by grids.geometry before it is saved. No GeoDjango: deployments need no GDAL.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="area_code_length_matches_level",
                condition=(
                    Q(level=AreaLevel.DISTRICT, code__length=CODE_LENGTH[AreaLevel.DISTRICT])
                    | Q(level=AreaLevel.STREET, code__length=CODE_LENGTH[AreaLevel.STREET])
                    | Q(level=AreaLevel.COMMUNITY, code__length=CODE_LENGTH[AreaLevel.COMMUNITY])
                    | Q(level=AreaLevel.GRID, code__length=CODE_LENGTH[AreaLevel.GRID])
                ),
            ),
            models.CheckConstraint(
                name="area_only_districts_are_roots",
                condition=Q(level=AreaLevel.DISTRICT, parent__isnull=True)
                | (~Q(level=AreaLevel.DISTRICT) & Q(parent__isnull=False)),
            ),
            models.CheckConstraint(
                name="area_grid_type_only_on_grids",
                condition=Q(level=AreaLevel.GRID) & ~Q(grid_type="")
                | ~Q(level=AreaLevel.GRID) & Q(grid_type=""),
            ),
        ]
        indexes = [models.Index(fields=["level", "code"], name="area_level_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_grid(self) -> bool:
        return self.level == AreaLevel.GRID

    def ancestor_codes(self) -> list[str]:
        return ancestor_codes(self.code)


class UnitQuerySet(RestrictedQuerySet):
    pass


class Unit(ScopedModel, models.Model):
    """An organisation that does work, with the area it has jurisdiction over."""

    scope_area_field = "area"

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    department_type = models.CharField(
        _("department type"), max_length=20, choices=DepartmentType.choices, blank=True
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("jurisdiction"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["area__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="unit_name_unique_in_area"),
            models.CheckConstraint(
                name="unit_department_type_only_on_departments",
                condition=Q(kind=UnitKind.DEPARTMENT) & ~Q(department_type="")
                | ~Q(kind=UnitKind.DEPARTMENT) & Q(department_type=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        """Units inside the user's areas, and the units whose jurisdiction covers them
        (a street dispatcher sends work to district departments too)."""
        if scope.everywhere:
            return Q()
        above = {above for code in scope.prefixes for above in ancestor_codes(code)}
        return scope.q("area__code") | Q(area__code__in=sorted(above))
