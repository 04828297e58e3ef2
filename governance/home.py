"""The home page's panels, one kind per role: what each user needs to see first."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from governance.accounts.models import RoleAssignment, User
from governance.accounts.roles import Role
from governance.tasks import HEARTBEAT_KEY
from grids.choices import AreaLevel
from grids.models import Area, Unit
from grids.selectors import AreaCounts, area_counts, grid_workers


@dataclass
class Panel:
    """One block of the home page; ``template`` renders it with ``data``."""

    role: str
    template: str
    data: dict = field(default_factory=dict)


def _areas_of(user: User, role: str) -> list[Area]:
    assignments = [a for a in user.loaded_role_assignments() if a.role == role and a.area_id]
    ids = [a.area_id for a in assignments]
    return list(Area.objects.filter(pk__in=ids).select_related("parent__parent").order_by("code"))


def _my_grids(user: User, role: str) -> Panel:
    grids = _areas_of(user, role)
    workers = grid_workers(g.id for g in grids)
    rows = [{"grid": g, "workers": workers.get(g.id, [])} for g in grids]
    return Panel(role, "home/_my_grids.html", {"rows": rows, "grid_ids": [g.id for g in grids]})


def _area_overview(user: User, role: str) -> Panel:
    rows = []
    for area in _areas_of(user, role):
        children = list(area.children.filter(is_active=True).order_by("code"))
        rows.append({"area": area, "counts": area_counts(area), "children": children})
    return Panel(role, "home/_area_overview.html", {"rows": rows})


def _unit(user: User, role: str) -> Panel:
    assignments = [a for a in user.loaded_role_assignments() if a.role == role]
    units = [a.unit for a in assignments if a.unit_id] or ([user.unit] if user.unit_id else [])
    rows = []
    for unit in units:
        colleagues = User.objects.filter(role_assignments__unit=unit).distinct()
        rows.append({"unit": unit, "area": unit.area, "colleagues": colleagues})
    areas = [] if units else _areas_of(user, role)
    return Panel(role, "home/_unit.html", {"rows": rows, "areas": areas})


def _system(user: User, role: str) -> Panel:
    beat = cache.get(HEARTBEAT_KEY)
    seen = parse_datetime(beat) if beat else None
    age = (timezone.now() - seen).total_seconds() if seen else None
    districts = list(Area.objects.filter(level=AreaLevel.DISTRICT, is_active=True))
    totals = AreaCounts()
    for district in districts:
        totals.add(area_counts(district))
    return Panel(
        role,
        "home/_system.html",
        {
            "heartbeat": seen,
            "heartbeat_ok": age is not None and age < 180,
            "totals": totals,
            "districts": districts,
            "users": User.objects.filter(is_active=True).count(),
            "users_without_role": User.objects.filter(
                is_active=True, is_superuser=False, role_assignments__isnull=True
            ).count(),
            "units": Unit.objects.filter(is_active=True).count(),
            "assignments": RoleAssignment.objects.count(),
        },
    )


# Domain apps' panels (imported here, after Panel: their modules import it from this one).
from events import home as events_home  # noqa: E402

# The panels each role sees, top to bottom. Domain apps add theirs to the lists of the roles
# they serve (a grid worker's overdue visits, a dispatcher's console counts...).
PANELS: dict[str, list] = {
    Role.ADMIN: [_system],
    Role.LEADER: [events_home.overview_panel, _area_overview],
    Role.DISTRICT_DISPATCHER: [events_home.district_panel, _area_overview],
    Role.STREET_DISPATCHER: [events_home.street_panel, _area_overview],
    Role.COMMUNITY_STAFF: [events_home.inbox_panel, _area_overview],
    Role.GRID_LEADER: [_my_grids],
    Role.GRID_WORKER: [events_home.worker_panel, _my_grids],
    Role.DEPARTMENT_HANDLER: [events_home.inbox_panel, _unit],
    Role.MEDIATOR: [_unit],
    Role.PETITION_OFFICER: [_area_overview],
}


# The residents registry's panels: due visits for grid workers, counts for the others.
from residents.panels import care_due_panel, registry_counts_panel  # noqa: E402

for _role in (Role.GRID_WORKER, Role.GRID_LEADER):
    PANELS[_role].append(care_due_panel)
for _role in (Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER):
    PANELS[_role].append(registry_counts_panel)

# The working-time calendar's panel: years still to enter, and the working hours (admins).
from governance.worktime.panels import calendar_panel  # noqa: E402

PANELS[Role.ADMIN].append(calendar_panel)


def panels_for(user: User) -> list[Panel]:
    """The panels of every role the user holds, in role order."""
    return [panel(user, role) for role in user.roles for panel in PANELS[Role(role)]]
