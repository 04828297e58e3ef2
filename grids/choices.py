"""Choices of the territory app: area levels, grid types, unit kinds, department types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


# Length of an area's code at each level (统计用区划代码, extended by 3 digits for grids).
CODE_LENGTH = {
    AreaLevel.DISTRICT: 6,
    AreaLevel.STREET: 9,
    AreaLevel.COMMUNITY: 12,
    AreaLevel.GRID: 15,
}
# The level a child of each level has; a grid has no children.
CHILD_LEVEL = {
    AreaLevel.DISTRICT: AreaLevel.STREET,
    AreaLevel.STREET: AreaLevel.COMMUNITY,
    AreaLevel.COMMUNITY: AreaLevel.GRID,
}
PARENT_LEVEL = {child: parent for parent, child in CHILD_LEVEL.items()}


class GridType(models.TextChoices):
    BASIC = "basic", _("Basic grid")
    OFFICE_TOWER = "office_tower", _("Dedicated: office tower")
    INDUSTRIAL_PARK = "industrial_park", _("Dedicated: industrial park")
    MARKET = "market", _("Dedicated: market")
    SCHOOL = "school", _("Dedicated: school")
    HOSPITAL = "hospital", _("Dedicated: hospital")


class UnitKind(models.TextChoices):
    DISTRICT_CENTRE = "district_centre", _("District dispatch centre")
    STREET_CENTRE = "street_centre", _("Street dispatch centre")
    COMMUNITY_STATION = "community_station", _("Community station")
    DEPARTMENT = "department", _("Functional department")
    MEDIATION_BODY = "mediation_body", _("Mediation body")


# The level of the jurisdiction area each kind of unit is attached to (None: any level).
UNIT_KIND_LEVEL = {
    UnitKind.DISTRICT_CENTRE: AreaLevel.DISTRICT,
    UnitKind.STREET_CENTRE: AreaLevel.STREET,
    UnitKind.COMMUNITY_STATION: AreaLevel.COMMUNITY,
    UnitKind.DEPARTMENT: None,
    UnitKind.MEDIATION_BODY: None,
}


class DepartmentType(models.TextChoices):
    POLICE = "police", _("Police station")
    URBAN_MANAGEMENT = "urban_management", _("Urban management")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    JUSTICE = "justice", _("Judicial office")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    HEALTH = "health", _("Health commission")
    HOUSING = "housing", _("Housing and construction")
    MARKET_REGULATION = "market_regulation", _("Market regulation")
    FIRE = "fire", _("Fire and rescue")
    EMERGENCY = "emergency", _("Emergency management")
    ENVIRONMENT = "environment", _("Ecology and environment")
    OTHER = "other", _("Other department")


def ancestor_codes(code: str) -> list[str]:
    """Codes of the areas above the one with ``code``, district first (codes are paths)."""
    return [code[:n] for n in CODE_LENGTH.values() if n < len(code)]
