"""Home-page panels of the registry (registered in governance.home.PANELS)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from governance.home import Panel, _areas_of
from residents import selectors
from residents.models.care import DUE_SOON_DAYS


def care_due_panel(user, role: str) -> Panel:
    """A grid worker's visits: overdue first, then due within a week (the first ten)."""
    today = timezone.localdate()
    open_ones = selectors.memberships_for(user)
    counts = open_ones.aggregate(
        overdue=Count("id", filter=Q(next_due_on__lt=today)),
        due_soon=Count(
            "id",
            filter=Q(next_due_on__gte=today, next_due_on__lte=today + timedelta(DUE_SOON_DAYS)),
        ),
    )
    return Panel(
        role,
        "residents/_panel_care_due.html",
        {
            "overdue": list(selectors.memberships_for(user, state="overdue")[:10]),
            "overdue_count": counts["overdue"],
            "due_soon_count": counts["due_soon"],
            "today": today,
        },
    )


def registry_counts_panel(user, role: str) -> Panel:
    """Population, housing, care and venue counts for each area the role is held over."""
    rows = [
        {"area": area, "counts": selectors.area_registry_counts(user, area)}
        for area in _areas_of(user, role)
    ]
    return Panel(role, "residents/_panel_counts.html", {"rows": rows})
