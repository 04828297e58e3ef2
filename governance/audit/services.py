"""Writing the audit trail."""

from django.db import models

from governance.audit.models import AuditEntry


def audit_record(
    *, actor, action: str, target: models.Model, detail: dict | None = None
) -> AuditEntry:
    """Record ``action`` (e.g. ``"area.boundary_set"``) by ``actor`` on ``target``."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        detail=detail or {},
    )
