"""Reads of the registry. Every one starts from ``restrict()``; counts are set-based, so a page
costs the same number of queries at a thousand rows and at a million."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import Count, Exists, Func, OuterRef, Q, QuerySet, TextField, Value
from django.utils import timezone

from grids.choices import AreaLevel
from grids.models import Area
from residents.choices import DocumentType, HouseUse, ResidentStatus
from residents.identity import check_phone
from residents.models import (
    Building,
    CareMembership,
    House,
    Rental,
    Resident,
    Venue,
)
from residents.models.venues import month_start
from residents.services.people import identity_hash

RESIDENT_LIST_RELATED = ("grid", "house__building")
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
DOCUMENT_PATTERN = re.compile(r"^[A-Z0-9-]{5,30}$")


def search_q(query: str) -> Q:
    """What a search box query means, from the most to the least specific:

    - a full ID number (18 characters): the keyed hash, an exact indexed lookup;
    - a full phone (mobile or landline): its keyed hash;
    - 1 to 4 digits: the last digits of the phone (a precomputed, indexed column);
    - a permit or passport number: the keyed hash for each non-mainland document type;
    - Latin letters: pinyin initials (``zs`` finds 张三) or the start of the full pinyin;
    - anything else: the name, anywhere in it. Three or more characters go through the
      trigram index on PostgreSQL; one or two (a surname, a given name: 明, 小梅) through the
      index on the name's characters (``name_has_chars``). SQLite scans, bounded by the scope.
    """
    text = unicodedata.normalize("NFKC", query or "").strip()
    compact = re.sub(r"[\s\-]", "", text).upper()
    if not compact:
        return Q()
    if ID_PATTERN.match(compact):
        return Q(id_number_hash=identity_hash(DocumentType.MAINLAND_ID, compact))
    if compact.isdigit():
        if len(compact) == 4:
            return Q(phone_last4=compact)
        if len(compact) < 4:
            return Q(phone_last4__endswith=compact)
        try:
            phone = check_phone(compact)
        except Exception:
            return Q(pk__in=[])
        return Q(phone_hash=Resident.lookup_hash("phone", phone))
    if DOCUMENT_PATTERN.match(compact) and any(c.isdigit() for c in compact):
        hashes = [
            identity_hash(kind, compact)
            for kind in DocumentType.values
            if kind != DocumentType.MAINLAND_ID
        ]
        return Q(id_number_hash__in=hashes)
    if compact.isascii() and compact.isalpha():
        lower = compact.lower()
        return Q(name_initials__startswith=lower) | Q(name_pinyin__startswith=lower)
    if len(text) >= 3:
        return Q(name__contains=text)
    return name_has_chars(text) & Q(name__contains=text)


class NameChars(Func):
    """The characters of a name as an array (PostgreSQL), the expression the GIN index of
    migration 0004 covers."""

    function = "string_to_array"
    template = "%(function)s(%(expressions)s, NULL)"
    output_field = ArrayField(TextField())


class CharArray(Func):
    """``ARRAY['张', '三']::text[]``: the characters a name must hold."""

    template = "ARRAY[%(expressions)s]::text[]"
    output_field = ArrayField(TextField())


def name_has_chars(text: str) -> Q:
    """Names holding every character of ``text``: an index lookup on PostgreSQL (an array
    containment on the indexed expression); nothing to add on other databases, where the
    caller's ``name__contains`` does the work."""
    if connection.vendor != "postgresql":
        return Q()
    chars = [Value(c, output_field=TextField()) for c in dict.fromkeys(text)]
    return Q(DataContains(NameChars("name"), CharArray(*chars)))


def is_sensitive_query(query: str) -> bool:
    """Whether a search holds personal data that must never travel in a URL (server logs,
    browser history, Referer headers): an ID or document number, or more than four digits
    of a phone."""
    compact = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", query or "")).upper()
    if compact.isdigit():
        return len(compact) > 4
    return bool(DOCUMENT_PATTERN.match(compact)) and any(c.isdigit() for c in compact)


def residents_for(user, *, query: str = "", filters: dict | None = None) -> QuerySet:
    """The residents ``user`` may see that match a search and filters."""
    residents = Resident.objects.restrict(user, "view").select_related(*RESIDENT_LIST_RELATED)
    if query:
        residents = residents.filter(search_q(query))
    for name, value in (filters or {}).items():
        if value in (None, ""):
            continue
        if name == "grid":
            residents = residents.filter(grid__code__startswith=value.code)
        elif name == "in_care":
            open_care = CareMembership.objects.restrict(user, "view").active()
            residents = residents.filter(
                Exists(open_care.filter(resident=OuterRef("pk")))
                if value
                else ~Exists(open_care.filter(resident=OuterRef("pk")))
            )
        else:
            residents = residents.filter(**{name: value})
    return residents.order_by("name", "id")


@dataclass
class GridSummary:
    grid: Area
    buildings: int = 0
    houses: int = 0
    residents: int = 0
    rented: int = 0
    overdue: int = 0
    venues_uninspected: int = 0


def grid_summaries(user, *, within: Area | None = None) -> list[GridSummary]:
    """Each grid the user may see with what it holds (six queries whatever the number)."""
    grids = Area.objects.restrict(user, "view").filter(level=AreaLevel.GRID, is_active=True)
    if within is not None:
        grids = grids.filter(code__startswith=within.code)
    grids = list(grids.select_related("parent").order_by("code"))
    rows = {g.pk: GridSummary(g) for g in grids}
    ids = list(rows)

    def count(queryset, key, attribute):
        for grid_id, n in queryset.values(key).annotate(n=Count("id")).values_list(key, "n"):
            setattr(rows[grid_id], attribute, n)

    count(Building.objects.filter(grid_id__in=ids), "grid_id", "buildings")
    houses = House.objects.filter(building__grid_id__in=ids)
    count(houses, "building__grid_id", "houses")
    count(houses.filter(use=HouseUse.RENTED), "building__grid_id", "rented")
    count(
        Resident.objects.filter(grid_id__in=ids, status=ResidentStatus.PRESENT),
        "grid_id",
        "residents",
    )
    count(
        CareMembership.objects.restrict(user, "view").overdue().filter(resident__grid_id__in=ids),
        "resident__grid_id",
        "overdue",
    )
    count(
        Venue.objects.not_inspected_this_month().filter(grid_id__in=ids),
        "grid_id",
        "venues_uninspected",
    )
    return list(rows.values())


def buildings_of(grid: Area) -> QuerySet:
    """A grid's buildings with their house and resident counts (one query)."""
    return (
        Building.objects.filter(grid=grid)
        .annotate(
            house_count=Count("houses", distinct=True),
            resident_count=Count(
                "houses__residents",
                filter=Q(houses__residents__status=ResidentStatus.PRESENT),
                distinct=True,
            ),
        )
        .order_by("name")
    )


@dataclass
class Floor:
    number: int
    houses: list = field(default_factory=list)


def floors_of(building: Building) -> list[Floor]:
    """The building's houses floor by floor, top floor first, each with its occupancy."""
    houses = (
        House.objects.filter(building=building)
        .annotate(occupants=Count("residents", filter=Q(residents__status=ResidentStatus.PRESENT)))
        .order_by("-floor", "unit", "room")
    )
    floors: dict[int, Floor] = {}
    for house in houses:
        floors.setdefault(house.floor, Floor(house.floor)).houses.append(house)
    return list(floors.values())


def memberships_for(user, *, state: str = "", group=None, grid: Area | None = None) -> QuerySet:
    memberships = (
        CareMembership.objects.restrict(user, "view")
        .active()
        .select_related("resident__grid", "resident__house__building", "group")
    )
    today = timezone.localdate()
    if state == "overdue":
        memberships = memberships.overdue(today)
    elif state == "due_soon":
        memberships = memberships.due_soon(today)
    if group is not None:
        memberships = memberships.filter(group=group)
    if grid is not None:
        memberships = memberships.filter(resident__grid__code__startswith=grid.code)
    return memberships.order_by("next_due_on", "id")


def rentals_for(user, *, state: str = "", grid: Area | None = None) -> QuerySet:
    rentals = Rental.objects.restrict(user, "view").select_related(
        "house__building__grid", "landlord"
    )
    today = timezone.localdate()
    if state == "current":
        rentals = rentals.current(today)
    elif state == "expired":
        rentals = rentals.expired(today)
    elif state == "ended":
        rentals = rentals.filter(ended_on__isnull=False)
    if grid is not None:
        rentals = rentals.filter(house__building__grid__code__startswith=grid.code)
    return rentals.annotate(tenant_count=Count("tenants")).order_by("contract_end", "id")


def venues_for(user, *, uninspected: bool = False, venue_type: str = "", grid=None) -> QuerySet:
    venues = Venue.objects.restrict(user, "view").select_related("grid").filter(is_active=True)
    if uninspected:
        venues = venues.not_inspected_this_month()
    if venue_type:
        venues = venues.filter(venue_type=venue_type)
    if grid is not None:
        venues = venues.filter(grid__code__startswith=grid.code)
    return venues.order_by("grid__code", "name")


def area_registry_counts(user, area: Area) -> dict[str, int]:
    """Counts for a home panel over one area (five queries, conditional aggregates)."""
    today = timezone.localdate()
    inside = {"grid__code__startswith": area.code}
    residents = (
        Resident.objects.restrict(user, "view")
        .filter(status=ResidentStatus.PRESENT, **inside)
        .aggregate(
            residents=Count("id"),
            local=Count("id", filter=Q(registration_type="local")),
            floating=Count("id", filter=Q(registration_type="floating")),
            overseas=Count("id", filter=Q(registration_type="overseas")),
        )
    )
    rentals = (
        Rental.objects.restrict(user, "view")
        .filter(ended_on__isnull=True, house__building__grid__code__startswith=area.code)
        .aggregate(
            rentals=Count("id", filter=Q(contract_end__gte=today)),
            rentals_expired=Count("id", filter=Q(contract_end__lt=today)),
        )
    )
    care = (
        CareMembership.objects.restrict(user, "view")
        .active()
        .filter(resident__grid__code__startswith=area.code)
        .aggregate(care=Count("id"), care_overdue=Count("id", filter=Q(next_due_on__lt=today)))
    )
    venues = (
        Venue.objects.restrict(user, "view")
        .filter(**inside)
        .not_inspected_this_month(today)
        .count()
    )
    buildings = Building.objects.restrict(user, "view").filter(**inside).count()
    return {**residents, **rentals, **care, "buildings": buildings, "venues_uninspected": venues}


def month_label(today=None):
    return month_start(today)


def move_grids(user) -> QuerySet:
    """Active grids ``user`` may move residents into (their ``move_resident`` scope)."""
    from residents.services.people import move_scope

    return (
        Area.objects.filter(level=AreaLevel.GRID, is_active=True)
        .filter(move_scope(user).q("code"))
        .select_related("parent")
        .order_by("code")
    )


def movable_houses(user) -> QuerySet:
    """Houses ``user`` may move residents into; a house outside is "not found" to them."""
    from residents.services.people import move_scope

    return House.objects.filter(
        move_scope(user).q("building__grid__code"), building__grid__is_active=True
    ).select_related("building__grid")


def household_members(household) -> QuerySet:
    """A household's members, head first, then by relation and name."""
    return (
        Resident.objects.filter(household=household)
        .select_related("house__building")
        .annotate(is_head=Count("headed_household"))
        .order_by("-is_head", "status", "relation", "name")
    )
