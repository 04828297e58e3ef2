"""Writes to venues under watch and their inspections."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from grids.models import Area
from residents.identity import check_name, check_phone
from residents.models import Venue, VenueInspection
from residents.services.common import Errors, changed_fields, require_grid, require_scope
from residents.services.places import _validate


def _contact(errors: Errors, venue: Venue, name, phone) -> None:
    if name is not None:
        checked = errors.check("contact_name", check_name, name)
        if checked:
            venue.contact_name = checked
    if phone is not None:
        checked = errors.check("contact_phone", check_phone, phone)
        if checked is not None:
            venue.protect("contact_phone", checked)


@transaction.atomic
def venue_create(
    *,
    actor,
    grid: Area,
    name: str,
    venue_type: str,
    address: str,
    contact_name: str,
    contact_phone: str = "",
    licence_number: str = "",
) -> Venue:
    """Put a venue under watch."""
    require_grid(grid)
    require_scope(actor, Venue, "add", grid.code)
    venue = Venue(
        grid=grid, name=(name or "").strip(), venue_type=venue_type,
        address=(address or "").strip(), licence_number=(licence_number or "").strip(),
    )  # fmt: skip
    errors = Errors()
    _contact(errors, venue, contact_name, contact_phone)
    errors.raise_if_any()
    _validate(venue, exclude=["contact_phone_enc"])
    venue.save()
    audit_record(actor=actor, action="venue.create", target=venue, detail={"grid": grid.code})
    return venue


VENUE_FIELDS = (
    "grid", "name", "venue_type", "address", "licence_number", "contact_name", "contact_phone",
    "is_active",
)  # fmt: skip


@transaction.atomic
def venue_update(*, actor, venue: Venue, **changes) -> Venue:
    """Change a venue's details (both grids must be in scope when it moves)."""
    unknown = set(changes) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"venue_update cannot change {sorted(unknown)}")
    venue = Venue.objects.select_for_update(of=("self",)).select_related("grid").get(pk=venue.pk)
    require_scope(actor, Venue, "change", venue.grid.code)
    before = {f: getattr(venue, f) for f in VENUE_FIELDS if f != "contact_phone"}
    before["contact_phone"] = venue.contact_phone_hash
    grid = changes.pop("grid", None)
    if grid is not None and grid.pk != venue.grid_id:
        require_grid(grid)
        require_scope(actor, Venue, "change", grid.code)
        venue.grid = grid
    errors = Errors()
    _contact(errors, venue, changes.pop("contact_name", None), changes.pop("contact_phone", None))
    errors.raise_if_any()
    for name, value in changes.items():
        setattr(venue, name, value.strip() if isinstance(value, str) else value)
    _validate(venue, exclude=["contact_phone_enc"])
    venue.save()
    after = {f: getattr(venue, f) for f in VENUE_FIELDS if f != "contact_phone"}
    after["contact_phone"] = venue.contact_phone_hash
    changed = changed_fields(before, after)
    if changed:
        audit_record(actor=actor, action="venue.update", target=venue, detail={"fields": changed})
    return venue


@transaction.atomic
def venue_inspect(
    *,
    actor,
    venue: Venue,
    inspected_on: datetime.date,
    result: str,
    signed_off_by: str,
    note: str = "",
) -> VenueInspection:
    """Record this month's inspection, signed off by the venue's person in charge (点签)."""
    venue = Venue.objects.select_for_update(of=("self",)).select_related("grid").get(pk=venue.pk)
    require_scope(actor, VenueInspection, "add", venue.grid.code)
    errors = Errors()
    if inspected_on and inspected_on > timezone.localdate():
        errors.add("inspected_on", _("This date is in the future."))
    signer = errors.check("signed_off_by", check_name, signed_off_by)
    if not venue.is_active:
        errors.add("venue", _("This venue is no longer under watch."))
    errors.raise_if_any()
    inspection = VenueInspection(
        venue=venue, inspected_on=inspected_on, inspector=actor, result=result,
        signed_off_by=signer, note=(note or "").strip(),
    )  # fmt: skip
    try:
        inspection.full_clean()
    except ValidationError:
        raise
    inspection.save()
    if venue.last_inspected_on is None or inspected_on > venue.last_inspected_on:
        venue.last_inspected_on = inspected_on
        venue.save(update_fields=["last_inspected_on", "updated_at"])
    audit_record(actor=actor, action="venue.inspect", target=venue, detail={"result": result})
    return inspection
