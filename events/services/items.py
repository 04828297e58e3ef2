"""The service-item catalogue: categories, items and their versions, Excel in and out.

An item's terms are never edited in place: ``service_item_update`` writes a new version and
points the item at it, so events keep the terms they were filed under.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from events.choices import ClosingLevel, ResponsibleKind, Stage, Urgency
from events.clocks import percentage_problem
from events.models import ServiceCategory, ServiceItem, ServiceItemVersion, default_time_limits
from governance.audit.services import audit_record
from governance.excel import read_xlsx, write_xlsx
from governance.scoping import perm_name, user_scope
from grids.choices import DepartmentType
from grids.models import Unit

TERMS = (
    "category",
    "name",
    "description",
    "responsible_kind",
    "department_type",
    "default_unit",
    "time_limits",
    "urgent_calendar_hours",
    "alert_thresholds",
    "closing_level",
    "on_the_spot_allowed",
    "joint_allowed",
    "duplicate_radius_m",
    "is_active",
)


def _require_admin(actor, action: str) -> None:
    if not user_scope(actor, perm_name(ServiceItem, action)).everywhere:
        raise PermissionDenied(_("Only administrators edit the service items."))


def clean_time_limits(limits) -> dict:
    """``{urgency: {stage: hours}}`` with every urgency and stage, whole hours from 1 to 2000."""
    if not isinstance(limits, dict):
        raise ValidationError({"time_limits": _("Give the time limits per urgency and stage.")})
    clean, problems = {}, []
    for urgency in Urgency:
        row = limits.get(urgency.value) or {}
        clean[urgency.value] = {}
        for stage in Stage:
            value = row.get(stage.value) if isinstance(row, dict) else None
            try:
                hours = int(value)
                if not 1 <= hours <= 2000 or float(value) != hours:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(
                    _("%(stage)s time limit for %(urgency)s events must be 1 to 2000 hours.")
                    % {"stage": stage.label, "urgency": urgency.label}
                )
                continue
            clean[urgency.value][stage.value] = hours
    if problems:
        raise ValidationError({"time_limits": problems})
    return clean


def clean_alert_thresholds(values) -> dict:
    """``{}`` (the global thresholds apply) or all four colours as increasing percentages."""
    if not values:
        return {}
    names = ("blue", "yellow", "orange", "red")
    if not isinstance(values, dict) or any(values.get(n) in (None, "") for n in names):
        raise ValidationError(
            {"alert_thresholds": _("Give all four thresholds, or none to use the global ones.")}
        )
    try:
        percents = tuple(int(values[n]) for n in names)
    except (TypeError, ValueError):
        percents = (0, 0, 0, 0)
    problem = percentage_problem(percents)
    if problem:
        raise ValidationError({"alert_thresholds": problem[1]})
    return dict(zip(names, percents, strict=True))


def _check_terms(terms: dict) -> dict:
    errors: dict[str, str] = {}
    category = terms.get("category")
    if category is None or category.parent_id is None:
        errors["category"] = _("Choose a minor category (under a major one).")
    if not (terms.get("name") or "").strip():
        errors["name"] = _("Give the item a name.")
    kind = terms.get("responsible_kind")
    if kind not in ResponsibleKind.values:
        errors["responsible_kind"] = _("Choose who is responsible.")
    if kind == ResponsibleKind.DEPARTMENT and terms.get("department_type") not in (
        DepartmentType.values
    ):
        errors["department_type"] = _("Choose the type of department responsible.")
    if kind != ResponsibleKind.DEPARTMENT:
        terms["department_type"] = ""
    if kind == ResponsibleKind.DEFAULT_UNIT and terms.get("default_unit") is None:
        errors["default_unit"] = _("Choose the unit responsible.")
    if kind != ResponsibleKind.DEFAULT_UNIT:
        terms["default_unit"] = None
    if terms.get("closing_level") not in ClosingLevel.values:
        errors["closing_level"] = _("Choose the closing level.")
    radius = terms.get("duplicate_radius_m")
    if not isinstance(radius, int) or not 10 <= radius <= 5000:
        errors["duplicate_radius_m"] = _("The duplicate radius is 10 to 5000 metres.")
    if errors:
        raise ValidationError(errors)
    terms["time_limits"] = clean_time_limits(terms.get("time_limits"))
    terms["alert_thresholds"] = clean_alert_thresholds(terms.get("alert_thresholds"))
    terms["name"] = terms["name"].strip()
    return terms


def _defaults() -> dict:
    return {
        "description": "",
        "department_type": "",
        "default_unit": None,
        "time_limits": default_time_limits(),
        "urgent_calendar_hours": False,
        "alert_thresholds": {},
        "on_the_spot_allowed": False,
        "joint_allowed": False,
        "duplicate_radius_m": 100,
        "is_active": True,
    }


@transaction.atomic
def service_category_create(*, actor, code: str, name: str, parent=None) -> ServiceCategory:
    """A major category (no parent) or a minor one."""
    _require_admin(actor, "add")
    if parent is not None and parent.parent_id is not None:
        raise ValidationError({"parent": _("Categories have two levels only.")})
    category = ServiceCategory(code=(code or "").strip(), name=(name or "").strip(), parent=parent)
    category.full_clean()
    category.save()
    audit_record(actor=actor, action="service_category.create", target=category)
    return category


@transaction.atomic
def service_item_create(*, actor, code: str, **terms) -> ServiceItem:
    """A new item with its first version."""
    _require_admin(actor, "add")
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise TypeError(f"unknown terms {sorted(unknown)}")
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the item a code.")})
    if ServiceItem.objects.filter(code=code).exists():
        raise ValidationError({"code": _("An item with this code exists.")})
    terms = _check_terms({**_defaults(), **terms})
    item = ServiceItem.objects.create(code=code, is_active=terms["is_active"])
    version = ServiceItemVersion.objects.create(item=item, number=1, created_by=actor, **terms)
    item.current = version
    item.save(update_fields=["current"])
    audit_record(actor=actor, action="service_item.create", target=item, detail={"version": 1})
    return item


@transaction.atomic
def service_item_update(*, actor, item: ServiceItem, **changes) -> ServiceItem:
    """New terms for an item: a new version if anything changed (events keep theirs)."""
    _require_admin(actor, "change")
    unknown = set(changes) - set(TERMS)
    if unknown:
        raise TypeError(f"unknown terms {sorted(unknown)}")
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    current = item.current
    before = {name: getattr(current, name) for name in TERMS}
    terms = _check_terms({**before, **changes})
    changed = {k: [str(before[k]), str(terms[k])] for k in TERMS if before[k] != terms[k]}
    if not changed:
        return item
    version = ServiceItemVersion.objects.create(
        item=item, number=current.number + 1, created_by=actor, **terms
    )
    item.current = version
    item.is_active = terms["is_active"]
    item.save(update_fields=["current", "is_active"])
    audit_record(
        actor=actor,
        action="service_item.update",
        target=item,
        detail={"version": version.number, "changed": changed},
    )
    return item


# --- Excel ------------------------------------------------------------------------------------

LIMIT_COLUMNS = [(u, s) for u in Urgency for s in Stage]


def excel_headers() -> list[str]:
    limits = [
        _("%(stage)s hours (%(urgency)s)") % {"stage": s.label, "urgency": u.label}
        for u, s in LIMIT_COLUMNS
    ]
    return [
        _("Code"),
        _("Major category"),
        _("Minor category"),
        _("Name"),
        _("Description"),
        _("Responsible"),
        _("Department type"),
        _("Default unit"),
        *limits,
        _("Urgent in calendar hours"),
        _("Closing level"),
        _("On the spot"),
        _("Joint summons"),
        _("Duplicate radius (m)"),
        _("Active"),
    ]


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def service_items_export() -> bytes:
    """Every item's current terms as one sheet (the import reads the same columns)."""
    current = ServiceItem.objects.values("current_id")
    versions = ServiceItemVersion.objects.filter(pk__in=current).select_related(
        "item", "category__parent", "default_unit"
    )
    rows = []
    for v in versions.order_by("item__code"):
        rows.append(
            [
                v.item.code,
                v.category.parent.name,
                v.category.name,
                v.name,
                v.description,
                ResponsibleKind(v.responsible_kind).label,
                DepartmentType(v.department_type).label if v.department_type else "",
                v.default_unit.name if v.default_unit else "",
                *[v.limit_hours(u, s) for u, s in LIMIT_COLUMNS],
                _yes(v.urgent_calendar_hours),
                ClosingLevel(v.closing_level).label,
                _yes(v.on_the_spot_allowed),
                _yes(v.joint_allowed),
                v.duplicate_radius_m,
                _yes(v.is_active),
            ]
        )
    return write_xlsx(excel_headers(), rows, sheet_title=_("Service items"))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False


def _by_label(choices, text: str):
    """The choice whose value or label (in Chinese, English or the active language) is
    ``text``."""
    text = (text or "").strip()
    for value, label in choices.choices:
        names = {value, str(label)}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(label))
        if text in names:
            return value
    return None


def _flag(text: str) -> bool | None:
    text = (text or "").strip().lower()
    if text in ("是", "yes", "y", "true", "1", str(_("Yes")).lower()):
        return True
    if text in ("否", "no", "n", "false", "0", "", str(_("No")).lower()):
        return False
    return None


@transaction.atomic
def service_items_import(*, actor, upload, dry_run: bool = False) -> ImportReport:
    """Create or update items from a sheet like the export. All rows are checked first; any
    problem refuses the whole file (named by row and column), so nothing is half-imported."""
    _require_admin(actor, "change")
    headers = excel_headers()
    rows = read_xlsx(upload, headers=headers)
    report = ImportReport(dry_run=dry_run)
    categories = {
        (c.parent.name, c.name): c
        for c in ServiceCategory.objects.filter(parent__isnull=False).select_related("parent")
    }
    majors = {c.name: c for c in ServiceCategory.objects.filter(parent__isnull=True)}
    units = {u.name: u for u in Unit.objects.filter(is_active=True)}
    planned = []
    for row in rows:
        cells = row.cells
        problems = []

        def cell(index: int, cells=cells) -> str:
            return cells[headers[index]].strip()

        code = cell(0)
        if not code:
            problems.append(_("%(column)s is empty") % {"column": headers[0]})
        major, minor = cell(1), cell(2)
        category = categories.get((major, minor))
        terms = {"category": category, "name": cell(3), "description": cell(4)}
        kind = _by_label(ResponsibleKind, cell(5))
        if kind is None:
            problems.append(
                _("%(column)s: unknown value “%(value)s”")
                % {"column": headers[5], "value": cell(5)}
            )
        terms["responsible_kind"] = kind
        terms["department_type"] = _by_label(DepartmentType, cell(6)) or ""
        terms["default_unit"] = units.get(cell(7)) if cell(7) else None
        if cell(7) and terms["default_unit"] is None:
            problems.append(
                _("%(column)s: no active unit named “%(value)s”")
                % {"column": headers[7], "value": cell(7)}
            )
        limits: dict = {}
        for offset, (u, s) in enumerate(LIMIT_COLUMNS):
            limits.setdefault(u.value, {})[s.value] = cell(8 + offset)
        terms["time_limits"] = limits
        base = 8 + len(LIMIT_COLUMNS)
        flags = {}
        for name, index in (
            ("urgent_calendar_hours", base),
            ("on_the_spot_allowed", base + 2),
            ("joint_allowed", base + 3),
            ("is_active", base + 5),
        ):
            flags[name] = _flag(cell(index))
            if flags[name] is None:
                problems.append(_("%(column)s: write 是 or 否") % {"column": headers[index]})
        terms.update({k: bool(v) for k, v in flags.items()})
        terms["closing_level"] = _by_label(ClosingLevel, cell(base + 1))
        try:
            terms["duplicate_radius_m"] = int(cell(base + 4) or 100)
        except ValueError:
            terms["duplicate_radius_m"] = None
        if category is None:
            if major and minor and major in majors:
                problems.append(
                    _("no minor category “%(minor)s” under “%(major)s”")
                    % {"minor": minor, "major": major}
                )
            else:
                problems.append(_("no major category “%(major)s”") % {"major": major})
        if not problems:
            try:
                _check_terms(dict(terms))
            except ValidationError as exc:
                problems.extend(m for msgs in exc.message_dict.values() for m in msgs)
        if problems:
            report.errors.append(
                _("Row %(row)s: %(problems)s")
                % {"row": row.number, "problems": "; ".join(problems)}
            )
        else:
            planned.append((code, terms))
    if report.errors:
        raise ValidationError({"file": report.errors})
    existing = {i.code: i for i in ServiceItem.objects.filter(code__in=[c for c, _t in planned])}
    for code, terms in planned:
        item = existing.get(code)
        if item is None:
            service_item_create(actor=actor, code=code, **terms)
            report.created += 1
        else:
            number = item.current.number
            item = service_item_update(actor=actor, item=item, **terms)
            if item.current.number == number:
                report.unchanged += 1
            else:
                report.updated += 1
    if dry_run:
        transaction.set_rollback(True)
    return report
