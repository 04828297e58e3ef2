"""Home-page panels of the event pipeline, one per role it serves (see governance.home)."""

from __future__ import annotations

from django.db.models import Count

from events import selectors
from events.models import Event
from events.workflow import EventStatus


def Panel(*args, **kwargs):
    from governance.home import Panel as HomePanel

    return HomePanel(*args, **kwargs)


def _tabs_panel(role: str, title_key: str, tabs, url_name: str):
    return Panel(
        role, "events/home/_tabs.html", {"kind": title_key, "tabs": tabs, "url_name": url_name}
    )


def street_panel(user, role: str):
    tabs = [t for t in selectors.street_console_tabs(user) if t.key != "all"]
    return _tabs_panel(role, "street", tabs, "events:street_console")


def district_panel(user, role: str):
    return _tabs_panel(
        role, "district", selectors.district_console_tabs(user), "events:district_console"
    )


def inbox_panel(user, role: str):
    tabs = [t for t in selectors.inbox_tabs(user) if t.key in ("sign", "progress")]
    return _tabs_panel(role, "inbox", tabs, "events:inbox")


def worker_panel(user, role: str):
    return _tabs_panel(role, "worker", selectors.worker_tabs(user), "events:mine")


def overview_panel(user, role: str):
    """Events of the area by status (leaders): one grouped count; open ones by overdue colour
    in a second."""
    visible = Event.objects.restrict(user, "view")
    rows = visible.values("status").annotate(n=Count("id")).order_by("status")
    counts = {row["status"]: row["n"] for row in rows}
    statuses = [(s.label, counts.get(s.value, 0), s.value) for s in EventStatus]
    return Panel(
        role,
        "events/home/_overview.html",
        {
            "statuses": statuses,
            "total": sum(counts.values()),
            "colours": selectors.colour_counts(visible),
            "supervise": user.has_perm("events.supervise_event"),
        },
    )
