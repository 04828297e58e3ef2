"""The navigation bar as data: each item shows only to users holding its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str  # a Bootstrap Icons name
    perm: str | None = None  # None: every signed-in user
    section: str = ""  # the URL prefix that marks the item active


NAVIGATION = [
    NavItem(_("Home"), "home", "house"),
    NavItem(_("Territory"), "grids:tree", "diagram-3", "grids.view_area", "/territory/"),
    NavItem(_("Map"), "grids:map", "map", "grids.view_area", "/map/"),
    NavItem(_("Units"), "grids:unit_list", "building", "grids.view_unit", "/units/"),
    NavItem(
        _("Residents"),
        "residents:resident_list",
        "person-vcard",
        "residents.view_resident",
        "/residents/",
    ),
    NavItem(
        _("Special care"),
        "residents:care_list",
        "heart-pulse",
        "residents.view_caremembership",
        "/care/",
    ),
    NavItem(_("Venues"), "residents:venue_list", "shop", "residents.view_venue", "/venues/"),
    NavItem(_("Events"), "events:list", "lightning-charge", "events.view_event", "/events/"),
    NavItem(
        _("Supervision"),
        "events:supervision",
        "megaphone",
        "events.supervise_event",
        "/supervision/",
    ),
    NavItem(_("Items"), "events:item_list", "list-check", "events.change_serviceitem", "/service-"),
    NavItem(_("Staff"), "accounts:staff_list", "people", "accounts.view_user", "/staff/"),
    NavItem(
        _("Calendar"),
        "worktime:year_current",
        "calendar3",
        "worktime.view_dayoverride",
        "/calendar/",
    ),
    NavItem(_("Audit trail"), "audit:list", "journal-text", "audit.view_auditentry", "/audit/"),
    NavItem(
        _("Access log"), "residents:access_log", "eye", "residents.view_accesslog", "/access-log/"
    ),
]


def navigation_for(request) -> list[dict]:
    """The items ``request.user`` may use, with the current one marked active."""
    user = request.user
    items = []
    for item in NAVIGATION:
        if item.perm and not user.has_perm(item.perm):
            continue
        url = reverse(item.url_name)
        active = request.path == url if not item.section else request.path.startswith(item.section)
        items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return items
