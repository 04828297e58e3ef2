"""Reveals and exports of personal data, each written to the append-only access log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.scoping import user_scope
from residents.choices import AccessAction, ProtectedField
from residents.models import AccessLog, Rental, Resident, Venue

REVEAL_PERM = "residents.reveal_resident"
EXPORT_PERM = "residents.export_resident"
REASON_MIN = 2
REASON_MAX = 200

# Which values of which model may be revealed, and under which name the model stores them.
REVEALABLE = {
    Resident: {ProtectedField.ID_NUMBER: "id_number", ProtectedField.PHONE: "phone"},
    Rental: {
        ProtectedField.LANDLORD_PHONE: "landlord_phone",
        ProtectedField.LANDLORD_ID_NUMBER: "landlord_id_number",
    },
    Venue: {ProtectedField.CONTACT_PHONE: "contact_phone"},
}


def may_reveal(actor, obj) -> bool:
    scope = user_scope(actor, REVEAL_PERM)
    return any(scope.covers(code) for code in obj.scope_codes())


def clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": _("Say why you need to see the full value.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    return reason


@transaction.atomic
def reveal(*, actor, obj, field: str, reason: str, ip_address: str | None = None) -> str:
    """The plain value of ``field`` of ``obj``, for an actor whose role may reveal it where
    the record is; the reveal is logged with the reason before the value is returned."""
    fields = REVEALABLE.get(type(obj), {})
    if field not in fields:
        raise ValidationError({"field": _("This value cannot be revealed.")})
    if not may_reveal(actor, obj):
        raise PermissionDenied(_("Your role may not see full ID numbers or phones here."))
    reason = clean_reason(reason)
    value = obj.reveal(fields[field])
    AccessLog.objects.create(
        actor=actor, action=AccessAction.REVEAL, field=field,
        target_type=obj._meta.label_lower, target_id=str(obj.pk), target_repr=str(obj)[:200],
        reason=reason, ip_address=ip_address,
    )  # fmt: skip
    return value


def may_export(actor) -> bool:
    return bool(user_scope(actor, EXPORT_PERM))


def log_export(
    *, actor, what: str, count: int, filters: dict, reason: str = "", ip_address=None
) -> AccessLog:
    """Record an export: what, how many rows, with which filters (no personal data)."""
    return AccessLog.objects.create(
        actor=actor, action=AccessAction.EXPORT, target_type=what, target_id="",
        target_repr=_("%(n)s rows") % {"n": count}, reason=reason,
        detail={"count": count, "filters": filters}, ip_address=ip_address,
    )  # fmt: skip
