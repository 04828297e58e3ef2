"""Buildings (楼栋) and the houses (房屋) inside them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.scoping import RestrictedQuerySet
from residents.choices import BuildingType, HouseUse
from residents.models.base import ChainScopedModel


class Building(ChainScopedModel, models.Model):
    """A building with a point on the map; its grid comes from the point unless staff fix it."""

    scope_area_field = "grid"

    grid = models.ForeignKey(
        "grids.Area",
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("grid"),
        limit_choices_to={"level": "grid"},
    )
    name = models.CharField(
        _("name or number"), max_length=60, help_text=_("E.g. 3栋 or 幸福小区2号楼.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lng = models.FloatField(
        _("longitude"), null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )  # fmt: skip
    lat = models.FloatField(
        _("latitude"), null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )  # fmt: skip
    grid_fixed_by_staff = models.BooleanField(
        _("grid set by staff"),
        default=False,
        help_text=_("Set when staff corrected the grid found from the point."),
    )
    floors = models.PositiveSmallIntegerField(
        _("floors"), default=1, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    units = models.PositiveSmallIntegerField(
        _("units (entrances)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    building_type = models.CharField(
        _("type"), max_length=12, choices=BuildingType.choices, default=BuildingType.RESIDENTIAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["grid__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "name"], name="building_name_unique_in_grid"),
            models.CheckConstraint(
                name="building_point_complete",
                condition=Q(lng__isnull=True, lat__isnull=True)
                | Q(lng__isnull=False, lat__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_point(self) -> bool:
        return self.lng is not None and self.lat is not None


class House(ChainScopedModel, models.Model):
    """A dwelling or shop in a building: unit, floor, room number, use."""

    scope_area_field = "building__grid"

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="houses", verbose_name=_("building")
    )
    unit = models.PositiveSmallIntegerField(
        pgettext_lazy("building", "unit"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    floor = models.SmallIntegerField(
        _("floor"), default=1, validators=[MinValueValidator(-5), MaxValueValidator(200)]
    )
    room = models.CharField(_("room number"), max_length=20)
    area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(1)],
    )  # fmt: skip
    use = models.CharField(
        _("use"), max_length=12, choices=HouseUse.choices, default=HouseUse.OWNER
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        ordering = ["building_id", "unit", "-floor", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "room"], name="house_room_unique_in_unit"
            ),
            models.CheckConstraint(name="house_floor_not_zero", condition=~Q(floor=0)),
        ]

    def __str__(self) -> str:
        return f"{self.building.name} {self.unit}-{self.room}"

    @property
    def label(self) -> str:
        """Unit and room, as staff write them: 2-1203."""
        return f"{self.unit}-{self.room}"
