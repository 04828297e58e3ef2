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
    NavItem(_("Staff"), "accounts:staff_list", "people", "accounts.view_user", "/staff/"),
    NavItem(_("Audit trail"), "audit:list", "journal-text", "audit.view_auditentry", "/audit/"),
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
