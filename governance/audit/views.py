"""The audit trail page (administrators)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from governance.audit.models import AuditEntry
from governance.web import paginate, require_perm


@require_GET
def audit_list(request):
    require_perm(request.user, AuditEntry)
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return render(
        request,
        "audit/audit_list.html",
        {"page": paginate(request, entries), "action": action, "actions": sorted(actions)},
    )
