"""The administrators' home panel: years without a holiday calendar, and the working hours."""

from __future__ import annotations

from django.utils import timezone

from governance.home import Panel
from governance.worktime.selectors import calendar_status


def calendar_panel(user, role: str) -> Panel:
    """Warns while the current or next year has no entered calendar (Monday-Friday fallback)."""
    return Panel(
        role, "worktime/_home_panel.html", {"status": calendar_status(today=timezone.localdate())}
    )
