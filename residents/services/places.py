"""Writes to buildings and houses."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from grids.models import Area
from grids.spatial import grid_at
from residents.choices import HouseUse
from residents.models import Building, House, Household, Resident, Venue
from residents.services.common import Errors, changed_fields, require_grid, require_scope


def _point(errors: Errors, lng, lat) -> tuple[float | None, float | None]:
    if lng in (None, "") and lat in (None, ""):
        return None, None
    if lng in (None, "") or lat in (None, ""):
        errors.add("lat", _("Give both latitude and longitude, or neither."))
        return None, None
    lng, lat = float(lng), float(lat)
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        errors.add("lat", _("The point is not on Earth (latitude -90..90, longitude -180..180)."))
        return None, None
    return lng, lat


def _place(errors: Errors, *, grid: Area | None, lng, lat) -> tuple[Area | None, bool]:
    """The building's grid: the one given (a correction when it differs from the point's),
    else the one containing the point."""
    located = grid_at(lng, lat) if lng is not None else None
    if grid is None:
        if lng is None:
            errors.add("grid", _("Choose a grid, or put the building on the map."))
        elif located is None:
            errors.add("lat", _("The point lies in no grid; move it, or choose the grid."))
        return located, False
    return grid, located is not None and located.pk != grid.pk


@transaction.atomic
def building_create(
    *,
    actor,
    name: str,
    grid: Area | None = None,
    lng: float | None = None,
    lat: float | None = None,
    address: str = "",
    floors: int = 1,
    units: int = 1,
    building_type: str = "residential",
) -> Building:
    """Add a building; its grid is the one containing its point unless one is given."""
    errors = Errors()
    lng, lat = _point(errors, lng, lat)
    grid, corrected = _place(errors, grid=grid, lng=lng, lat=lat)
    errors.raise_if_any()
    require_grid(grid)
    require_scope(actor, Building, "add", grid.code)
    building = Building(
        grid=grid, name=(name or "").strip(), address=(address or "").strip(), lng=lng, lat=lat,
        floors=floors, units=units, building_type=building_type, grid_fixed_by_staff=corrected,
    )  # fmt: skip
    _validate(building)
    building.save()
    audit_record(actor=actor, action="building.create", target=building, detail={"grid": grid.code})
    return building


def _validate(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "__all__" in exc.error_dict:
            # Unique constraints come back on __all__; name the field people can fix.
            messages = exc.error_dict.pop("__all__")
            field = "name" if isinstance(obj, Building | Venue) else "room"
            exc.error_dict.setdefault(field, []).extend(messages)
        raise


BUILDING_FIELDS = ("name", "address", "lng", "lat", "floors", "units", "building_type", "grid")


@transaction.atomic
def building_update(*, actor, building: Building, **changes) -> Building:
    """Change a building. Moving it to another grid (a staff correction) moves its houses'
    residents and households with it; both grids must be in the actor's scope."""
    unknown = set(changes) - set(BUILDING_FIELDS)
    if unknown:
        raise TypeError(f"building_update cannot change {sorted(unknown)}")
    building = Building.objects.select_for_update().get(pk=building.pk)
    old_grid = Area.objects.get(pk=building.grid_id)
    require_scope(actor, Building, "change", old_grid.code)
    before = {name: getattr(building, name) for name in BUILDING_FIELDS}
    errors = Errors()
    lng, lat = _point(errors, changes.pop("lng", building.lng), changes.pop("lat", building.lat))
    building.lng, building.lat = lng, lat
    grid = changes.pop("grid", None)
    errors.raise_if_any()
    for name, value in changes.items():
        setattr(building, name, value.strip() if isinstance(value, str) else value)
    if grid is not None and grid.pk != old_grid.pk:
        require_grid(grid)
        require_scope(actor, Building, "change", grid.code)
        building.grid = grid
    located = grid_at(lng, lat) if lng is not None else None
    building.grid_fixed_by_staff = located is not None and located.pk != building.grid_id
    if building.floors < (
        building.houses.order_by("-floor").values_list("floor", flat=True).first() or 0
    ):
        raise ValidationError({"floors": _("Some houses are on higher floors than that.")})
    if building.units < (
        building.houses.order_by("-unit").values_list("unit", flat=True).first() or 0
    ):
        raise ValidationError({"units": _("Some houses are in units beyond that number.")})
    _validate(building)
    building.save()
    if building.grid_id != old_grid.pk:
        Resident.objects.filter(house__building=building).update(grid=building.grid)
        Household.objects.filter(house__building=building).update(grid=building.grid)
    after = {name: getattr(building, name) for name in BUILDING_FIELDS}
    changed = changed_fields(before, after)
    if changed:
        detail = {"fields": changed}
        if "grid" in changed:
            detail["grid"] = [old_grid.code, building.grid.code]
        audit_record(actor=actor, action="building.update", target=building, detail=detail)
    return building


def _check_house(house: House, errors: Errors) -> None:
    building = house.building
    if house.unit is not None and house.unit > building.units:
        errors.add(
            "unit",
            _("%(building)s has %(n)s units.") % {"building": building.name, "n": building.units},
        )
    if house.floor is not None and house.floor > building.floors:
        errors.add(
            "floor",
            _("%(building)s has %(n)s floors.") % {"building": building.name, "n": building.floors},
        )
    if house.floor == 0:
        errors.add("floor", _("There is no floor 0: the first basement is floor -1."))
    if not (house.room or "").strip():
        errors.add("room", _("Give the room number."))


@transaction.atomic
def house_create(
    *,
    actor,
    building: Building,
    room: str,
    unit: int = 1,
    floor: int = 1,
    area_m2=None,
    use: str = HouseUse.OWNER,
) -> House:
    """Add a house (dwelling or shop) to a building."""
    require_scope(actor, House, "add", building.grid.code)
    house = House(
        building=building, unit=unit, floor=floor, room=(room or "").strip(), area_m2=area_m2,
        use=use,
    )  # fmt: skip
    errors = Errors()
    _check_house(house, errors)
    errors.raise_if_any()
    _validate(house)
    try:
        with transaction.atomic():
            house.save()
    except IntegrityError:
        raise ValidationError(
            {"room": _("This room is already registered in this unit.")}
        ) from None
    audit_record(actor=actor, action="house.create", target=house)
    return house


HOUSE_FIELDS = ("unit", "floor", "room", "area_m2", "use")


@transaction.atomic
def house_update(*, actor, house: House, **changes) -> House:
    """Change a house's place in its building, its size or its use."""
    unknown = set(changes) - set(HOUSE_FIELDS)
    if unknown:
        raise TypeError(f"house_update cannot change {sorted(unknown)}")
    house = House.objects.select_for_update().get(pk=house.pk)
    building = Building.objects.select_related("grid").get(pk=house.building_id)
    house.building = building
    require_scope(actor, House, "change", building.grid.code)
    before = {name: getattr(house, name) for name in HOUSE_FIELDS}
    for name, value in changes.items():
        setattr(house, name, value.strip() if isinstance(value, str) else value)
    errors = Errors()
    _check_house(house, errors)
    errors.raise_if_any()
    _validate(house)
    house.save()
    changed = changed_fields(before, {name: getattr(house, name) for name in HOUSE_FIELDS})
    if changed:
        audit_record(actor=actor, action="house.update", target=house, detail={"fields": changed})
    return house
