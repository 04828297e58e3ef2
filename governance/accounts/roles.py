"""Roles as data: what each role may hold its assignment over, and what it may do there.

A user may hold several roles, each over an area (and, for department roles, a unit). A role
grants its permissions only inside its area: a grid worker's "view area" covers their grid, a
street dispatcher's covers the street. ``scope_from_assignments`` turns a user's assignments into
the ``Scope`` that ``restrict()`` applies. Later apps add their permissions to the sets below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.scoping import EVERYWHERE, NOWHERE, Scope
from grids.choices import AreaLevel, UnitKind


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker")
    GRID_LEADER = "grid_leader", _("Grid leader")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    STREET_DISPATCHER = "street_dispatcher", _("Street dispatcher")
    DISTRICT_DISPATCHER = "district_dispatcher", _("District dispatcher")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    MEDIATOR = "mediator", _("Mediator")
    PETITION_OFFICER = "petition_officer", _("Petition officer")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


VIEW_TERRITORY = frozenset({"grids.view_area", "grids.view_unit"})
VIEW_STAFF = frozenset({"accounts.view_user"})


@dataclass(frozen=True)
class RoleRule:
    """What an assignment of one role must name, and the permissions it grants there."""

    area_levels: tuple[str, ...]  # levels the assignment's area may have; () = no area
    permissions: frozenset[str]
    unit_kinds: tuple[str, ...] = ()  # a unit of one of these kinds is required; () = no unit
    max_per_user: int | None = None  # e.g. a grid leader leads at most 3 grids
    everywhere: bool = False  # holds every permission everywhere (admin)


ALL_LEVELS = tuple(AreaLevel.values)

ROLE_RULES: dict[str, RoleRule] = {
    Role.GRID_WORKER: RoleRule(area_levels=(AreaLevel.GRID,), permissions=VIEW_TERRITORY),
    Role.GRID_LEADER: RoleRule(
        area_levels=(AreaLevel.GRID,), permissions=VIEW_TERRITORY | VIEW_STAFF, max_per_user=3
    ),
    Role.COMMUNITY_STAFF: RoleRule(
        area_levels=(AreaLevel.COMMUNITY,), permissions=VIEW_TERRITORY | VIEW_STAFF
    ),
    Role.STREET_DISPATCHER: RoleRule(
        area_levels=(AreaLevel.STREET,), permissions=VIEW_TERRITORY | VIEW_STAFF
    ),
    Role.DISTRICT_DISPATCHER: RoleRule(
        area_levels=(AreaLevel.DISTRICT,), permissions=VIEW_TERRITORY | VIEW_STAFF
    ),
    # A department handler works inside their unit's jurisdiction.
    Role.DEPARTMENT_HANDLER: RoleRule(
        area_levels=ALL_LEVELS, permissions=VIEW_TERRITORY, unit_kinds=(UnitKind.DEPARTMENT,)
    ),
    Role.MEDIATOR: RoleRule(area_levels=ALL_LEVELS, permissions=VIEW_TERRITORY),
    Role.PETITION_OFFICER: RoleRule(
        area_levels=(AreaLevel.DISTRICT, AreaLevel.STREET), permissions=VIEW_TERRITORY
    ),
    Role.LEADER: RoleRule(
        area_levels=(AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY),
        permissions=VIEW_TERRITORY | VIEW_STAFF,  # read-only: views, never edits
    ),
    Role.ADMIN: RoleRule(area_levels=(), permissions=frozenset(), everywhere=True),
}

# What each role may do in the domain apps, one table per app, each kept by that app's authors
# and read here so that every role's powers are in one file. A permission is granted over the
# area of the assignment, like the ones in ROLE_RULES. The admin holds everything anyway.


def _residents(models: str, actions: str) -> frozenset[str]:
    return frozenset(f"residents.{a}_{m}" for m in models.split() for a in actions.split())


# Residents registry: grid workers keep their grid's records; community staff also import,
# export and manage special-care enrolment; dispatchers and leaders read; a department
# handler sees buildings, houses and venues, and special-care groups only where an
# administrator granted their role a group (residents.CareGroupAccess).
_REGISTRY = "building house household resident rental rentalinspection venue venueinspection"
_CARE = "caremembership visit"
_READ_ALL = _residents(f"{_REGISTRY} {_CARE}", "view")
_GRID_WORK = (
    _READ_ALL
    | _residents(_REGISTRY, "add change")
    | _residents("visit", "add")
    | frozenset({"residents.reveal_resident"})
)
# Moving a resident to another house or grid: inside the grids, the community, the street or
# the district of the assignment (a street dispatcher moves people but does not edit records).
_MOVE = frozenset({"residents.move_resident"})
RESIDENTS_GRANTS: dict[str, frozenset[str]] = {
    Role.GRID_WORKER: _GRID_WORK | _MOVE,
    Role.GRID_LEADER: _GRID_WORK | _MOVE | _residents("caremembership", "add change"),
    Role.COMMUNITY_STAFF: _GRID_WORK
    | _MOVE
    | _residents("caremembership", "add change")
    | frozenset({"residents.import_resident", "residents.export_resident"}),
    Role.STREET_DISPATCHER: _READ_ALL | _MOVE | frozenset({"residents.export_resident"}),
    Role.DISTRICT_DISPATCHER: _READ_ALL | _MOVE,
    Role.LEADER: _READ_ALL,
    Role.DEPARTMENT_HANDLER: _residents(
        "building house venue venueinspection caremembership visit", "view"
    ),
}
_EVENT_VIEW = frozenset({"events.view_event", "events.view_serviceitem"})
_EVENT_FILE = _EVENT_VIEW | {"events.add_event"}
_EVENT_WORK = _EVENT_FILE | {"events.change_event"}
# Supervision notices (督办) on the events of one's area: leaders and the dispatch centres.
_EVENT_SUPERVISE = frozenset({"events.supervise_event"})
# Which transitions a role may perform on an event is decided by events/workflow.py; these only
# say who may see events, file them and act on them at all (change), within their area.
EVENTS_GRANTS: dict[str, frozenset[str]] = {
    Role.GRID_WORKER: _EVENT_WORK,
    Role.GRID_LEADER: _EVENT_FILE,
    Role.COMMUNITY_STAFF: _EVENT_WORK,
    Role.STREET_DISPATCHER: _EVENT_WORK | _EVENT_SUPERVISE,
    Role.DISTRICT_DISPATCHER: _EVENT_WORK | _EVENT_SUPERVISE,
    Role.DEPARTMENT_HANDLER: _EVENT_VIEW | {"events.change_event"},
    Role.MEDIATOR: _EVENT_VIEW | {"events.change_event"},
    Role.PETITION_OFFICER: _EVENT_WORK,
    Role.LEADER: _EVENT_VIEW | _EVENT_SUPERVISE,
}
DISPUTES_GRANTS: dict[str, frozenset[str]] = {}
PETITIONS_GRANTS: dict[str, frozenset[str]] = {}
APP_GRANTS = (RESIDENTS_GRANTS, EVENTS_GRANTS, DISPUTES_GRANTS, PETITIONS_GRANTS)

# Roles whose area is always their unit's jurisdiction.
UNIT_SCOPED_ROLES = tuple(role for role, r in ROLE_RULES.items() if r.unit_kinds)

# The order in which a user's roles are presented (their home page shows the first one's
# panels on top).
ROLE_ORDER = list(Role)


def rule(role: str) -> RoleRule:
    return ROLE_RULES[Role(role)]


def role_grants(role: str, perm: str) -> bool:
    r = rule(role)
    return r.everywhere or perm in r.permissions or any(perm in t.get(role, ()) for t in APP_GRANTS)


def scope_from_assignments(assignments: Iterable, perm: str) -> Scope:
    """The union of the areas of the assignments whose role grants ``perm``."""
    prefixes: set[str] = set()
    for assignment in assignments:
        if not role_grants(assignment.role, perm):
            continue
        if rule(assignment.role).everywhere:
            return EVERYWHERE
        if assignment.area_id is not None:
            prefixes.add(assignment.area.code)
    return Scope(prefixes=frozenset(prefixes)) if prefixes else NOWHERE
