"""Writes to rental registrations and their inspections."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from residents.choices import HouseUse
from residents.identity import check_id_number, check_name, check_phone
from residents.models import House, Rental, RentalInspection, Resident
from residents.services.common import Errors, require_scope


def _check_people(errors: Errors, actor, *, landlord, tenants) -> None:
    visible = Resident.objects.restrict(actor, "view")
    if landlord is not None and not visible.filter(pk=landlord.pk).exists():
        errors.add("landlord", _("Choose a landlord from the residents you can see."))
    tenant_ids = [t.pk for t in tenants]
    if tenant_ids and visible.filter(pk__in=tenant_ids).count() != len(set(tenant_ids)):
        errors.add("tenants", _("Choose tenants from the residents you can see."))


@transaction.atomic
def rental_create(
    *,
    actor,
    house: House,
    contract_start: datetime.date,
    contract_end: datetime.date,
    landlord: Resident | None = None,
    landlord_name: str = "",
    landlord_phone: str = "",
    landlord_id_number: str = "",
    tenants=(),
    letter_signed: bool = False,
    letter_signed_on: datetime.date | None = None,
    notes: str = "",
) -> Rental:
    """Register a house as rented: landlord, tenants, contract period, security letter. The
    house's use becomes "rented"."""
    house = (
        House.objects.select_for_update(of=("self",))
        .select_related("building__grid")
        .get(pk=house.pk)
    )
    require_scope(actor, Rental, "add", house.building.grid.code)
    errors = Errors()
    tenants = list(tenants)
    _check_people(errors, actor, landlord=landlord, tenants=tenants)
    rental = Rental(
        house=house, landlord=landlord, contract_start=contract_start, contract_end=contract_end,
        letter_signed=letter_signed, letter_signed_on=letter_signed_on if letter_signed else None,
        notes=(notes or "").strip(), created_by=actor,
    )  # fmt: skip
    if landlord is None:
        name = errors.check("landlord_name", check_name, landlord_name)
        rental.landlord_name = name or ""
        phone = errors.check("landlord_phone", check_phone, landlord_phone)
        if phone:
            rental.protect("landlord_phone", phone)
        elif phone == "":
            errors.add("landlord_phone", _("Give the landlord's phone."))
        if landlord_id_number:
            facts = errors.check("landlord_id_number", check_id_number, landlord_id_number)
            if facts:
                rental.protect("landlord_id_number", facts.number)
    if contract_start and contract_end and contract_end < contract_start:
        errors.add("contract_end", _("The contract ends before it starts."))
    if letter_signed and not letter_signed_on:
        errors.add("letter_signed_on", _("Give the date the letter was signed."))
    if letter_signed_on and letter_signed_on > timezone.localdate():
        errors.add("letter_signed_on", _("This date is in the future."))
    errors.raise_if_any()
    rental.full_clean(exclude=["landlord_phone_enc", "landlord_id_number_enc"])
    rental.save()
    rental.tenants.set(tenants)
    if house.use != HouseUse.RENTED:
        house.use = HouseUse.RENTED
        house.save(update_fields=["use", "updated_at"])
    audit_record(
        actor=actor, action="rental.create", target=rental, detail={"tenants": len(tenants)}
    )
    return rental


@transaction.atomic
def rental_end(*, actor, rental: Rental, ended_on: datetime.date) -> Rental:
    """End a registration (the tenants left early, or the house is no longer let)."""
    rental = (
        Rental.objects.select_for_update(of=("self",))
        .select_related("house__building__grid")
        .get(pk=rental.pk)
    )
    require_scope(actor, Rental, "change", rental.house.building.grid.code)
    if rental.ended_on is not None:
        raise ValidationError({"ended_on": _("This registration has already ended.")})
    if ended_on < rental.contract_start:
        raise ValidationError({"ended_on": _("That is before the contract started.")})
    rental.ended_on = ended_on
    rental.save(update_fields=["ended_on", "updated_at"])
    house = rental.house
    if not house.rentals.filter(ended_on__isnull=True).exclude(pk=rental.pk).exists():
        house.use = HouseUse.VACANT
        house.save(update_fields=["use", "updated_at"])
    audit_record(actor=actor, action="rental.end", target=rental)
    return rental


@transaction.atomic
def rental_inspect(
    *, actor, rental: Rental, inspected_on: datetime.date, result: str, note: str = ""
) -> RentalInspection:
    """Record an inspection of a rented house."""
    rental = Rental.objects.select_related("house__building__grid").get(pk=rental.pk)
    require_scope(actor, RentalInspection, "add", rental.house.building.grid.code)
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("This date is in the future.")})
    inspection = RentalInspection(
        rental=rental, inspected_on=inspected_on, inspector=actor, result=result,
        note=(note or "").strip(),
    )  # fmt: skip
    inspection.full_clean()
    inspection.save()
    audit_record(actor=actor, action="rental.inspect", target=rental, detail={"result": result})
    return inspection
