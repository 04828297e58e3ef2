"""Writes to residents and households."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from governance.audit.services import audit_record
from governance.scoping import user_scope
from grids.models import Area
from residents.choices import (
    STATUS_END_REASON,
    DocumentType,
    RegistrationType,
    Relation,
    ResidentStatus,
)
from residents.identity import check_document_number, check_id_number, check_name, check_phone
from residents.models import House, Household, Resident
from residents.services.common import Errors, changed_fields, require_grid, require_scope

NOTES_MAX = 500


def pinyin_of(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name, lower case: 张三 → ("zs", "zhangsan")."""
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    full = "".join(lazy_pinyin(name, style=Style.NORMAL, errors="ignore")).lower()
    return initials[:50], full[:200]


def identity_lookup(document_type: str, number: str) -> str:
    """The lookup key of an identity document (its type and number)."""
    return f"{document_type}:{number}"


def identity_hash(document_type: str, number: str) -> str:
    return Resident.lookup_hash("id_number", identity_lookup(document_type, number))


def check_identity(errors: Errors, *, document_type: str, id_number: str, birth_date, sex):
    """Validate the document; for a mainland ID, birth date and sex come from the number."""
    if document_type not in DocumentType.values:
        errors.add("document_type", _("Choose a document type."))
        return None, birth_date, sex
    if document_type == DocumentType.MAINLAND_ID:
        facts = errors.check("id_number", check_id_number, id_number)
        if facts is None:
            return None, birth_date, sex
        return facts.number, facts.birth_date, facts.sex
    number = errors.check("id_number", check_document_number, id_number)
    if birth_date and birth_date > timezone.localdate():
        errors.add("birth_date", _("The birth date is in the future."))
    return number, birth_date, sex


def _household_for(*, house: House | None, grid: Area, relation: str, new_household: bool,
                   resident: Resident | None = None) -> Household | None:  # fmt: skip
    """The household a resident joins: the house's household (made on first use), or a new
    one when asked. A head takes the household's head place if it is free."""
    if house is None:
        return None
    household = None
    if not new_household:
        household = Household.objects.filter(house=house).order_by("id").first()
    if household is None:
        household = Household.objects.create(grid=grid, house=house)
    if relation == Relation.HEAD:
        head_id = household.head_id
        if head_id is not None and (resident is None or head_id != resident.pk):
            raise ValidationError(
                {
                    "relation": _(
                        "This household already has a head (%(name)s). Choose the relation to "
                        "the head, or start a new household."
                    )
                    % {"name": household.head.name}
                }
            )
    return household


def _clean_common(errors: Errors, resident: Resident, data: dict) -> None:
    if "name" in data:
        name = errors.check("name", check_name, data["name"])
        if name:
            resident.name = name
            resident.name_initials, resident.name_pinyin = pinyin_of(name)
    if "phone" in data:
        phone = errors.check("phone", check_phone, data["phone"] or "")
        if phone is not None:
            resident.protect("phone", phone)
    if resident.registration_type != RegistrationType.OVERSEAS and not resident.ethnicity:
        errors.add("ethnicity", _("Choose the ethnicity."))
    if (
        resident.registration_type == RegistrationType.OVERSEAS
        and resident.document_type == DocumentType.MAINLAND_ID
    ):
        errors.add(
            "document_type",
            _("A resident from outside the mainland is registered with a permit or passport."),
        )
    if resident.document_type != DocumentType.MAINLAND_ID and not resident.nationality:
        errors.add("nationality", _("Give the nationality or region of the document."))
    if len(resident.notes or "") > NOTES_MAX:
        errors.add("notes", _("Notes hold at most %(n)s characters.") % {"n": NOTES_MAX})
    if (
        resident.moved_in_on
        and resident.moved_out_on
        and resident.moved_out_on < resident.moved_in_on
    ):
        errors.add("moved_out_on", _("Moved out before moving in?"))
    if resident.status == ResidentStatus.MOVED_OUT and not resident.moved_out_on:
        resident.moved_out_on = timezone.localdate()
    for name in ("moved_in_on", "moved_out_on"):
        value = getattr(resident, name)
        if isinstance(value, datetime.date) and value > timezone.localdate():
            errors.add(name, _("This date is in the future."))


def _save_unique(resident: Resident) -> None:
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:
        if "resident_one_record_per_person" in str(exc) or "id_number_hash" in str(exc):
            raise ValidationError({"id_number": _already_registered()}) from None
        raise


def _already_registered() -> str:
    return _(
        "A resident with this document number is already registered. One person is one "
        "record: if they moved here, ask the community to move their record."
    )


@transaction.atomic
def resident_create(
    *,
    actor,
    name: str,
    id_number: str,
    document_type: str = DocumentType.MAINLAND_ID,
    house: House | None = None,
    grid: Area | None = None,
    phone: str = "",
    ethnicity: str = "",
    registration_type: str = RegistrationType.LOCAL,
    relation: str = Relation.HEAD,
    new_household: bool = False,
    moved_in_on: datetime.date | None = None,
    notes: str = "",
    sex: str = "",
    birth_date: datetime.date | None = None,
    nationality: str = "",
) -> Resident:
    """Register a person in a house (or directly in a grid). The grid follows the house; the
    actor must be allowed to add residents there; the same document cannot be registered twice.
    """
    if house is not None:
        house = House.objects.select_related("building__grid").get(pk=house.pk)
        grid = house.building.grid
    require_grid(grid)
    require_scope(actor, Resident, "add", grid.code)
    errors = Errors()
    number, birth_date, sex = check_identity(
        errors, document_type=document_type, id_number=id_number, birth_date=birth_date, sex=sex
    )
    resident = Resident(
        grid=grid, house=house, relation=relation, document_type=document_type,
        ethnicity=ethnicity or "", registration_type=registration_type,
        moved_in_on=moved_in_on, notes=(notes or "").strip(), sex=sex or "",
        birth_date=birth_date, nationality=(nationality or "").strip(), created_by=actor,
    )  # fmt: skip
    _clean_common(errors, resident, {"name": name, "phone": phone})
    if number:
        lookup = identity_lookup(document_type, number)
        resident.protect("id_number", number, lookup=lookup)
        if Resident.objects.filter(id_number_hash=resident.id_number_hash).exists():
            errors.add("id_number", _already_registered())
    errors.raise_if_any()
    resident.household = _household_for(
        house=house, grid=grid, relation=relation, new_household=new_household
    )
    resident.full_clean(exclude=["id_number_enc", "id_number_hash", "household"])
    _save_unique(resident)
    if resident.household is not None and relation == Relation.HEAD:
        Household.objects.filter(pk=resident.household.pk).update(head=resident)
        resident.household.head = resident
    audit_record(actor=actor, action="resident.create", target=resident, detail={"grid": grid.code})
    return resident


RESIDENT_FIELDS = (
    "name", "phone", "ethnicity", "registration_type", "relation", "house", "grid",
    "moved_in_on", "notes", "document_type", "id_number", "nationality", "sex", "birth_date",
)  # fmt: skip
PROTECTED_FIELDS = {"phone": "phone_hash", "id_number": "id_number_hash"}


def _snapshot(resident: Resident, tracked) -> dict:
    values = {f: getattr(resident, f"{f}_id" if f in ("house", "grid") else f) for f in tracked}
    values.update({f: getattr(resident, column) for f, column in PROTECTED_FIELDS.items()})
    return values


@transaction.atomic
def resident_update(*, actor, resident: Resident, **changes) -> Resident:
    """Change a resident's record. A new house or grid is a move (``resident_move``: the
    right to move residents both where they are and where they go); the status changes
    through ``resident_set_status``."""
    unknown = set(changes) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"resident_update cannot change {sorted(unknown)}")
    resident = Resident.objects.select_for_update().select_related("grid").get(pk=resident.pk)
    require_scope(actor, Resident, "change", resident.grid.code)
    house = changes.pop("house", resident.house if resident.house_id else None)
    grid = changes.pop("grid", None)
    target_grid = house.building.grid_id if house is not None else (grid.pk if grid else None)
    moving = (house.pk if house else None) != resident.house_id or (
        target_grid is not None and target_grid != resident.grid_id
    )
    if moving:
        resident_move(
            actor=actor, resident=resident, house=house, grid=grid,
            relation=changes.get("relation", resident.relation),
        )  # fmt: skip
        resident = Resident.objects.select_for_update().select_related("grid").get(pk=resident.pk)
    tracked = [f for f in RESIDENT_FIELDS if f not in ("phone", "id_number")]
    before = _snapshot(resident, tracked)
    errors = Errors()

    document_type = changes.pop("document_type", resident.document_type)
    id_number = changes.pop("id_number", None)
    if id_number is not None or document_type != resident.document_type:
        number, birth_date, sex = check_identity(
            errors,
            document_type=document_type,
            id_number=id_number if id_number is not None else resident.reveal("id_number"),
            birth_date=changes.get("birth_date", resident.birth_date),
            sex=changes.get("sex", resident.sex),
        )
        if number:
            resident.document_type = document_type
            resident.protect("id_number", number, lookup=identity_lookup(document_type, number))
            resident.birth_date, resident.sex = birth_date, sex
            clash = Resident.objects.filter(id_number_hash=resident.id_number_hash)
            if clash.exclude(pk=resident.pk).exists():
                errors.add("id_number", _already_registered())
    if resident.document_type == DocumentType.MAINLAND_ID:
        changes.pop("birth_date", None)
        changes.pop("sex", None)
    relation = changes.pop("relation", resident.relation)
    common = {k: changes.pop(k) for k in ("name", "phone") if k in changes}
    for name, value in changes.items():
        setattr(resident, name, value.strip() if isinstance(value, str) else value)
    _clean_common(errors, resident, common)
    if relation != resident.relation and not moving:
        errors.check("relation", _check_relation_change, resident, relation)
    errors.raise_if_any()
    resident.relation = relation
    resident.full_clean(exclude=["id_number_enc", "id_number_hash", "household"])
    _save_unique(resident)
    if resident.household_id and relation == Relation.HEAD:
        Household.objects.filter(pk=resident.household_id).update(head=resident)
    changed = changed_fields(before, _snapshot(resident, tracked))
    if changed:
        audit_record(
            actor=actor, action="resident.update", target=resident, detail={"fields": changed}
        )
    return resident


def _check_relation_change(resident: Resident, relation: str) -> None:
    """A relation change keeps the household at exactly one head: the head is changed on the
    household page (which names the new head first)."""
    if resident.household_id is None:
        return
    if resident.relation == Relation.HEAD:
        others = Resident.objects.filter(household_id=resident.household_id).exclude(pk=resident.pk)
        if others.exists():
            raise ValidationError(
                _("%(name)s is the head of the household: name the new head on the household "
                  "page first.") % {"name": resident.name}
            )  # fmt: skip
    elif relation == Relation.HEAD:
        head = Household.objects.get(pk=resident.household_id).head
        if head is not None and head.pk != resident.pk:
            raise ValidationError(
                _("This household already has a head (%(name)s); change the head on the "
                  "household page.") % {"name": head.name}
            )  # fmt: skip


# --- Moving ----------------------------------------------------------------------------------

MOVE_PERM = "residents.move_resident"


def move_scope(actor):
    """Where ``actor`` may move residents from and to (their ``move_resident`` scope)."""
    return user_scope(actor, MOVE_PERM)


def may_move(actor, resident: Resident) -> bool:
    """Whether ``actor`` may move this resident at all (a present resident of their scope)."""
    return resident.status == ResidentStatus.PRESENT and move_scope(actor).covers(
        resident.grid.code
    )


@transaction.atomic
def resident_move(
    *,
    actor,
    resident: Resident,
    house: House | None = None,
    grid: Area | None = None,
    moved_on: datetime.date | None = None,
    relation: str | None = None,
    new_household: bool = False,
    with_household: bool = False,
) -> Resident:
    """Move a resident (or their whole household) to another house, or to a grid without a
    house. The actor must be allowed to move residents where the resident is and where they
    go: a grid worker inside their grids, community staff inside their community, street and
    district staff inside theirs.

    1. Lock the resident; check the source and the target against the actor's move scope.
    2. Household: the whole household moves along, or the resident leaves it (a head with
       other members must hand the household over first) and joins the target house's
       household (or a new one).
    3. Save; check the record is still inside the actor's scope before commit; audit.
    """
    resident = (
        Resident.objects.select_for_update(of=("self",))
        .select_related("grid", "house")
        .get(pk=resident.pk)
    )
    scope = move_scope(actor)
    source = resident.grid
    if not scope.covers(source.code):
        raise PermissionDenied(_("You may not move residents of this grid."))
    if house is not None:
        house = House.objects.select_related("building__grid").get(pk=house.pk)
        grid = house.building.grid
    require_grid(grid)
    if not scope.covers(grid.code):
        raise PermissionDenied(_("You may not do this in that part of the territory."))
    errors = Errors()
    if resident.status != ResidentStatus.PRESENT:
        errors.add("house", _("Only residents who are present can be moved."))
    if house is not None and house.pk == resident.house_id:
        errors.add("house", _("%(name)s already lives in this house.") % {"name": resident.name})
    if house is None and grid.pk == resident.grid_id and resident.house_id is None:
        errors.add("grid", _("%(name)s is already registered in this grid.")
                   % {"name": resident.name})  # fmt: skip
    moved_on = moved_on or timezone.localdate()
    if moved_on > timezone.localdate():
        errors.add("moved_on", _("This date is in the future."))
    relation = relation or resident.relation
    if relation not in Relation.values:
        errors.add("relation", _("Choose the relation to the head of household."))
    errors.raise_if_any()

    household = resident.household
    movers = [resident]
    if with_household and household is not None:
        movers = list(
            Resident.objects.select_for_update(of=("self",))
            .filter(household=household, status=ResidentStatus.PRESENT)
            .select_related("grid")
        )
        outside = [m.name for m in movers if not scope.covers(m.grid.code)]
        if outside:
            raise PermissionDenied(_("You may not move residents of this grid."))
        household.house, household.grid = house, grid
        household.save(update_fields=["house", "grid"])
    else:
        if household is not None and household.head_id == resident.pk:
            others = Resident.objects.filter(household=household).exclude(pk=resident.pk)
            if others.exists():
                raise ValidationError(
                    {"with_household": _(
                        "%(name)s is the head of a household with other members: move the "
                        "whole household, or name a new head on the household page first."
                    ) % {"name": resident.name}}
                )  # fmt: skip
            Household.objects.filter(pk=household.pk).update(head=None)
        resident.household = _household_for(
            house=house, grid=grid, relation=relation, new_household=new_household,
            resident=resident,
        )  # fmt: skip
        resident.relation = relation
    left = {mover.pk: mover.house_id for mover in movers}
    for mover in movers:
        mover.house, mover.grid, mover.moved_in_on = house, grid, moved_on
    Resident.objects.bulk_update(movers, ["house", "grid", "moved_in_on", "household", "relation"])
    if resident.household is not None and resident.relation == Relation.HEAD and not with_household:
        Household.objects.filter(pk=resident.household.pk).update(head=resident)
    # The record must still be where the actor may see it, as they chose it to be.
    grid_code = Resident.objects.filter(pk=resident.pk).values_list("grid__code", flat=True)[0]
    if not scope.covers(grid_code):
        raise PermissionDenied(_("You may not do this in that part of the territory."))
    for mover in movers:
        audit_record(
            actor=actor, action="resident.move", target=mover,
            detail={"grid": [source.code, grid.code],
                    "house": [left[mover.pk], house.pk if house else None],
                    "on": moved_on.isoformat(), "household": bool(with_household)},
        )  # fmt: skip
    return Resident.objects.select_related("grid", "house", "household").get(pk=resident.pk)


# --- Moving out, death, return ---------------------------------------------------------------


@transaction.atomic
def resident_set_status(
    *, actor, resident: Resident, status: str, on: datetime.date, note: str = ""
) -> Resident:
    """Record that a resident moved out (迁出, with where to), died, or is present again.
    Leaving ends their open special-care memberships with the same date and reason; a head of
    household with other members hands the household over first."""
    from residents.services.care import membership_end_all

    resident = Resident.objects.select_for_update().select_related("grid").get(pk=resident.pk)
    require_scope(actor, Resident, "change", resident.grid.code)
    errors = Errors()
    if status not in ResidentStatus.values:
        errors.add("status", _("Choose a status."))
    elif status == resident.status:
        errors.add("status", _("The resident already has this status."))
    if on is None:
        errors.add("on", _("Give the date."))
    elif on > timezone.localdate():
        errors.add("on", _("This date is in the future."))
    elif status != ResidentStatus.DECEASED and resident.birth_date and on < resident.birth_date:
        errors.add("on", _("That is before the birth date."))
    note = " ".join((note or "").split())
    if len(note) > 200:
        errors.add("note", _("At most %(n)s characters.") % {"n": 200})
    if status != ResidentStatus.PRESENT and resident.household_id:
        household = resident.household
        others = Resident.objects.filter(
            household=household, status=ResidentStatus.PRESENT
        ).exclude(pk=resident.pk)
        if household.head_id == resident.pk and others.exists():
            errors.add(
                "status",
                _("%(name)s is the head of the household: name a new head on the household "
                  "page first.") % {"name": resident.name},
            )  # fmt: skip
    errors.raise_if_any()
    before = resident.status
    if status == ResidentStatus.MOVED_OUT:
        if resident.moved_in_on and on < resident.moved_in_on:
            raise ValidationError({"on": _("Moved out before moving in?")})
        resident.moved_out_on, resident.moved_out_to = on, note
    elif status == ResidentStatus.DECEASED:
        resident.died_on = on
    else:  # back: present again from this date
        resident.moved_in_on, resident.moved_out_on = on, None
        resident.moved_out_to, resident.died_on = "", None
    resident.status = status
    resident.save(update_fields=["status", "moved_out_on", "moved_out_to", "died_on",
                                 "moved_in_on", "updated_at"])  # fmt: skip
    ended = 0
    if status in STATUS_END_REASON:
        ended = membership_end_all(
            actor=actor, resident=resident, ended_on=on, reason=STATUS_END_REASON[status]
        )
    audit_record(
        actor=actor, action="resident.status", target=resident,
        detail={"from": before, "to": status, "on": on.isoformat(), "care_ended": ended},
    )  # fmt: skip
    return resident
