"""Writes to the territory and the units. Views, the API, commands and tasks all call these."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.accounts.roles import UNIT_SCOPED_ROLES
from governance.audit.services import audit_record
from governance.scoping import perm_name, user_scope
from grids.choices import CODE_LENGTH, PARENT_LEVEL, UNIT_KIND_LEVEL, AreaLevel, GridType, UnitKind
from grids.geometry import Neighbour, boundary_problems, parse_boundary
from grids.models import Area, Unit
from grids.spatial import invalidate_grid_locator


def require_scope(actor, model, action: str, code: str) -> None:
    """Refuse unless ``actor`` may ``action`` rows of ``model`` placed at area ``code``."""
    if not user_scope(actor, perm_name(model, action)).covers(code):
        raise PermissionDenied(_("You may not do this in that part of the territory."))


# --- Areas ----------------------------------------------------------------------------------


def _check_place_in_tree(area: Area) -> None:
    """The level, parent and code must agree: a grid's code extends its community's, etc."""
    errors: dict[str, str] = {}
    expected_parent = PARENT_LEVEL.get(area.level)
    if expected_parent is None and area.parent is not None:
        errors["parent"] = _("A district is the top of the tree and has no parent.")
    elif expected_parent is not None and area.parent is None:
        errors["parent"] = _("A %(level)s must belong to a %(parent)s.") % {
            "level": AreaLevel(area.level).label,
            "parent": AreaLevel(expected_parent).label,
        }
    elif expected_parent is not None and area.parent.level != expected_parent:
        errors["parent"] = _("A %(level)s belongs to a %(parent)s, not to a %(given)s.") % {
            "level": AreaLevel(area.level).label,
            "parent": AreaLevel(expected_parent).label,
            "given": AreaLevel(area.parent.level).label,
        }
    length = CODE_LENGTH[area.level]
    code = area.code or ""
    if not (code.isascii() and code.isdigit() and len(code) == length):
        errors["code"] = _("A %(level)s code is exactly %(n)s digits.") % {
            "level": AreaLevel(area.level).label,
            "n": length,
        }
    elif (
        area.parent is not None and "parent" not in errors and not code.startswith(area.parent.code)
    ):
        errors["code"] = _("The code must start with the code of %(parent)s: %(prefix)s.") % {
            "parent": area.parent.name,
            "prefix": area.parent.code,
        }
    if area.level == AreaLevel.GRID and not area.grid_type:
        area.grid_type = GridType.BASIC
    if area.level != AreaLevel.GRID:
        area.grid_type = ""
    if errors:
        raise ValidationError(errors)


def _neighbours(area: Area, *, replaced: dict[int, object] | None = None):
    """The parent's and siblings' shapes to check ``area``'s boundary against.

    ``replaced`` maps area ids to shapes about to be saved alongside this one (an import),
    so the check sees the state the write will create.
    """
    from shapely.geometry import shape

    replaced = replaced or {}

    def geometry_of(other: Area):
        return replaced.get(other.pk) or (shape(other.boundary) if other.boundary else None)

    parent = None
    if area.parent is not None:
        parent_geometry = geometry_of(area.parent)
        if parent_geometry is not None:
            parent = Neighbour(str(area.parent), parent_geometry)
    siblings = []
    others = Area.objects.filter(parent=area.parent, level=area.level, is_active=True)
    for sibling in others.exclude(pk=area.pk).only("id", "code", "name", "boundary"):
        geometry = geometry_of(sibling)
        if geometry is not None:
            siblings.append(Neighbour(str(sibling), geometry))
    return parent, siblings


def _boundary_errors(area: Area, geometry, *, replaced=None) -> list[str]:
    parent, siblings = _neighbours(area, replaced=replaced)
    return boundary_problems(
        geometry,
        parent=parent,
        siblings=siblings,
        outside_tolerance_m2=settings.BOUNDARY_OUTSIDE_TOLERANCE_M2,
        overlap_tolerance_m2=settings.BOUNDARY_OVERLAP_TOLERANCE_M2,
    )


def _clean_boundary(area: Area, boundary) -> dict | None:
    if boundary in (None, "", {}):
        return None
    try:
        clean, geometry = parse_boundary(boundary)
    except ValidationError as exc:
        raise ValidationError({"boundary": exc.messages}) from exc
    problems = _boundary_errors(area, geometry)
    if problems:
        raise ValidationError({"boundary": problems})
    return clean


def _lock_family(parent: Area | None) -> None:
    """Serialise writes among siblings, so two editors cannot both pass the overlap check."""
    if parent is not None:
        Area.objects.select_for_update().filter(pk=parent.pk).first()


@transaction.atomic
def area_create(
    *,
    actor,
    level: str,
    code: str,
    name: str,
    parent: Area | None = None,
    grid_type: str = "",
    description: str = "",
    boundary=None,
) -> Area:
    """Add an area to the tree, with an optional boundary checked against its neighbours."""
    area = Area(
        level=level,
        parent=parent,
        code=(code or "").strip(),
        name=(name or "").strip(),
        grid_type=grid_type,
        description=description,
    )
    _check_place_in_tree(area)
    require_scope(actor, Area, "add", area.code)
    area.full_clean(exclude=["boundary"])
    _lock_family(parent)
    area.boundary = _clean_boundary(area, boundary)
    area.save()
    audit_record(actor=actor, action="area.create", target=area, detail={"code": area.code})
    if area.is_grid and area.boundary:
        invalidate_grid_locator()
    return area


AREA_EDITABLE = ("name", "grid_type", "description", "is_active")


@transaction.atomic
def area_update(*, actor, area: Area, **changes) -> Area:
    """Change an area's name, grid type, description or active flag (its code is its identity)."""
    unknown = set(changes) - set(AREA_EDITABLE)
    if unknown:
        raise TypeError(f"area_update cannot change {sorted(unknown)}")
    area = Area.objects.select_for_update(of=("self",)).select_related("parent").get(pk=area.pk)
    require_scope(actor, Area, "change", area.code)
    before = {name: getattr(area, name) for name in changes}
    for name, value in changes.items():
        setattr(area, name, value.strip() if isinstance(value, str) else value)
    _check_place_in_tree(area)
    if changes.get("is_active") is False and area.children.filter(is_active=True).exists():
        raise ValidationError({"is_active": _("Deactivate the areas below this one first.")})
    if changes.get("is_active") and area.parent is not None and not area.parent.is_active:
        raise ValidationError({"is_active": _("The parent area is inactive.")})
    if changes.get("is_active") and area.boundary:
        problems = _boundary_errors(area, parse_boundary(area.boundary)[1])
        if problems:
            raise ValidationError({"is_active": problems})
    area.full_clean(exclude=["boundary"])
    area.save()
    after = {name: getattr(area, name) for name in changes}
    changed = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
    if changed:
        audit_record(actor=actor, action="area.update", target=area, detail=changed)
    if area.is_grid and "is_active" in changed:
        invalidate_grid_locator()
    return area


@transaction.atomic
def area_set_boundary(*, actor, area: Area, boundary) -> Area:
    """Replace (or with ``None`` clear) an area's boundary after checking it."""
    area = Area.objects.select_related("parent").get(pk=area.pk)
    require_scope(actor, Area, "change", area.code)
    _lock_family(area.parent)
    area.boundary = _clean_boundary(area, boundary)
    area.save(update_fields=["boundary", "updated_at"])
    audit_record(
        actor=actor,
        action="area.boundary_set" if area.boundary else "area.boundary_clear",
        target=area,
    )
    if area.is_grid:
        invalidate_grid_locator()
    return area


# --- Boundary import ------------------------------------------------------------------------


@dataclass
class FeatureProblem:
    """A feature of an import that was not applied, and why."""

    number: int  # 1-based position in the file
    label: str  # the code or name the feature carried, or "" if none
    reasons: list[str]


@dataclass
class BoundaryImportReport:
    """What an import matched, changed and could not use."""

    total: int = 0
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unmatched: list[FeatureProblem] = field(default_factory=list)
    invalid: list[FeatureProblem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.unmatched and not self.invalid


def _match_feature(
    properties: dict, *, code_property: str, name_property: str, within: Area | None
):
    """(area, label, reason): the area a feature names, or why none matches."""
    code = str(properties.get(code_property) or "").strip()
    if code:
        area = Area.objects.select_related("parent").filter(code=code).first()
        if area is None:
            return None, code, _("No area has the code %(code)s.") % {"code": code}
        if within is not None and not code.startswith(within.code):
            return (
                None,
                code,
                _("%(code)s is not under %(within)s.")
                % {
                    "code": code,
                    "within": within,
                },
            )
        return area, code, ""
    name = str(properties.get(name_property) or "").strip()
    if not name:
        return (
            None,
            "",
            _('The feature has neither a "%(code)s" nor a "%(name)s" property.')
            % {"code": code_property, "name": name_property},
        )
    candidates = Area.objects.select_related("parent").filter(name=name)
    if within is not None:
        candidates = candidates.filter(code__startswith=within.code)
    found = list(candidates[:2])
    if not found:
        return None, name, _("No area is named %(name)s.") % {"name": name}
    if len(found) > 1:
        return (
            None,
            name,
            _("Several areas are named %(name)s; give the code instead.") % {"name": name},
        )
    return found[0], name, ""


@transaction.atomic
def boundaries_import(
    *,
    actor,
    collection,
    code_property: str = "code",
    name_property: str = "name",
    within: Area | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> BoundaryImportReport:
    """Set boundaries from a GeoJSON FeatureCollection, matching features to areas by code
    (or, failing that, by an unambiguous name).

    1. Match every feature and parse its geometry; note what cannot be matched or parsed.
    2. Check each new boundary against its parent and siblings as they will be after the import
       (so re-cutting a whole community at once works).
    3. Unless ``skip_invalid``, save nothing if any feature was unmatched or invalid;
       with ``dry_run``, only report.
    """
    report = BoundaryImportReport()
    if isinstance(collection, str | bytes):
        import json

        try:
            collection = json.loads(collection)
        except ValueError as exc:
            raise ValidationError(_("The file is not valid JSON.")) from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValidationError(_("The file must hold a GeoJSON FeatureCollection."))
    features = collection.get("features")
    if not isinstance(features, list):
        raise ValidationError(_("The FeatureCollection has no list of features."))
    report.total = len(features)

    proposed: dict[int, tuple[Area, dict, object, int, str]] = {}
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {} if isinstance(feature, dict) else {}
        area, label, reason = _match_feature(
            properties, code_property=code_property, name_property=name_property, within=within
        )
        if area is None:
            report.unmatched.append(FeatureProblem(number, label, [reason]))
            continue
        if not user_scope(actor, perm_name(Area, "change")).covers(area.code):
            report.unmatched.append(
                FeatureProblem(
                    number, label, [_("%(area)s is outside your scope.") % {"area": area}]
                )
            )
            continue
        if area.pk in proposed:
            report.invalid.append(
                FeatureProblem(number, label, [_("Another feature already sets this area.")])
            )
            continue
        try:
            clean, geometry = parse_boundary(feature)
        except ValidationError as exc:
            report.invalid.append(FeatureProblem(number, label, exc.messages))
            continue
        proposed[area.pk] = (area, clean, geometry, number, label)

    shapes = {pk: geometry for pk, (_a, _c, geometry, _n, _l) in proposed.items()}
    valid = []
    for area, clean, geometry, number, label in proposed.values():
        problems = _boundary_errors(area, geometry, replaced=shapes)
        if problems:
            report.invalid.append(FeatureProblem(number, label, problems))
        else:
            valid.append((area, clean))
    report.invalid.sort(key=lambda p: p.number)

    if dry_run or (not report.ok and not skip_invalid):
        return report
    grid_changed = False
    for area, clean in valid:
        if area.boundary == clean:
            report.unchanged.append(area.code)
            continue
        area.boundary = clean
        area.save(update_fields=["boundary", "updated_at"])
        audit_record(actor=actor, action="area.boundary_import", target=area)
        report.updated.append(area.code)
        grid_changed = grid_changed or area.is_grid
    report.applied = True
    if grid_changed:
        invalidate_grid_locator()
    return report


# --- Units ----------------------------------------------------------------------------------


def _check_unit(unit: Unit) -> None:
    errors: dict[str, str] = {}
    expected_level = UNIT_KIND_LEVEL.get(unit.kind)
    if unit.area_id and expected_level and unit.area.level != expected_level:
        errors["area"] = _("A %(kind)s has a %(level)s as its jurisdiction.") % {
            "kind": UnitKind(unit.kind).label,
            "level": AreaLevel(expected_level).label,
        }
    if unit.kind == UnitKind.DEPARTMENT and not unit.department_type:
        errors["department_type"] = _("Choose the kind of department.")
    if unit.kind != UnitKind.DEPARTMENT:
        unit.department_type = ""
    if errors:
        raise ValidationError(errors)


UNIT_FIELDS = ("name", "kind", "department_type", "area", "phone", "address", "is_active")


@transaction.atomic
def unit_create(
    *,
    actor,
    name: str,
    kind: str,
    area: Area,
    department_type: str = "",
    phone: str = "",
    address: str = "",
) -> Unit:
    """Add a unit with its jurisdiction."""
    unit = Unit(
        name=name.strip(),
        kind=kind,
        area=area,
        department_type=department_type,
        phone=phone.strip(),
        address=address.strip(),
    )
    _check_unit(unit)
    require_scope(actor, Unit, "add", area.code)
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, action="unit.create", target=unit)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    """Change a unit's details or jurisdiction."""
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update cannot change {sorted(unknown)}")
    unit = Unit.objects.select_for_update().select_related("area").get(pk=unit.pk)
    require_scope(actor, Unit, "change", unit.area.code)
    before = {name: str(getattr(unit, name)) for name in changes}
    for name, value in changes.items():
        setattr(unit, name, value.strip() if isinstance(value, str) else value)
    _check_unit(unit)
    require_scope(actor, Unit, "change", unit.area.code)
    unit.full_clean()
    unit.save()
    after = {name: str(getattr(unit, name)) for name in changes}
    changed = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
    if changed:
        audit_record(actor=actor, action="unit.update", target=unit, detail=changed)
    if "area" in changed:
        # Department handlers work over their unit's jurisdiction: move their scope with it.
        from governance.accounts.models import RoleAssignment

        RoleAssignment.objects.filter(unit=unit, role__in=UNIT_SCOPED_ROLES).update(area=unit.area)
    return unit
