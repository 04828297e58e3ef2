"""Reads of the territory: trees with counts, summaries, map layers. All start from restrict()."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import shapely
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.urls import reverse
from shapely.geometry import shape

from governance.accounts.models import RoleAssignment
from governance.accounts.roles import Role
from grids.choices import AreaLevel, ancestor_codes
from grids.models import Area, Unit

# Colours for communities on the map (a qualitative palette readable on light and dark tiles).
PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
]  # fmt: skip


@dataclass
class AreaCounts:
    """What lies within one area (itself included)."""

    streets: int = 0
    communities: int = 0
    grids: int = 0
    grid_workers: int = 0  # distinct people holding a grid-worker role under the area
    grids_without_worker: int = 0
    grids_without_boundary: int = 0
    units: int = 0

    def add(self, other: AreaCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class TreeNode:
    area: Area
    counts: AreaCounts
    children: list[TreeNode] = field(default_factory=list)


def _with_boundary_flag(queryset):
    return queryset.annotate(
        has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
    )


def _workers_per_grid(grid_filter: Q) -> dict[int, set[int]]:
    rows = RoleAssignment.objects.filter(role=Role.GRID_WORKER).filter(grid_filter)
    workers: dict[int, set[int]] = defaultdict(set)
    for area_id, user_id in rows.values_list("area_id", "user_id"):
        workers[area_id].add(user_id)
    return workers


def _own_counts(area: Area, workers: set[int], units: int) -> AreaCounts:
    """What one area contributes to its own counts and its ancestors'."""
    own = AreaCounts(units=units)
    if area.level == AreaLevel.STREET:
        own.streets = 1
    elif area.level == AreaLevel.COMMUNITY:
        own.communities = 1
    elif area.is_grid:
        own.grids = 1
        own.grids_without_worker = int(not workers)
        own.grids_without_boundary = int(not area.has_boundary)
    return own


def territory_tree(user) -> list[TreeNode]:
    """The areas ``user`` may see, as a forest, each node with counts of what lies under it.

    Three queries whatever the size of the territory: the areas, the grid workers per grid,
    the units per area. Counts roll up from the grids by code prefix.
    """
    areas = list(
        _with_boundary_flag(Area.objects.restrict(user, "view").filter(is_active=True))
        .only("id", "code", "name", "level", "grid_type", "parent_id")
        .order_by("code")
    )
    if not areas:
        return []
    visible = Area.objects.restrict(user, "view").filter(is_active=True).values("id")
    workers = _workers_per_grid(Q(area_id__in=visible))
    units = dict(
        Unit.objects.filter(area_id__in=visible, is_active=True)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    )

    by_code = {a.code: a for a in areas}
    counts = {a.code: AreaCounts() for a in areas}
    people: dict[str, set[int]] = defaultdict(set)
    for area in areas:
        own = _own_counts(area, workers.get(area.id, set()), units.get(area.id, 0))
        for code in [area.code, *ancestor_codes(area.code)]:
            if code in counts:
                counts[code].add(own)
                people[code] |= workers.get(area.id, set())
    for code, ids in people.items():
        counts[code].grid_workers = len(ids)

    nodes = {a.code: TreeNode(a, counts[a.code]) for a in areas}
    roots = []
    for area in areas:
        parent_code = next((c for c in reversed(ancestor_codes(area.code)) if c in by_code), None)
        if parent_code is None:
            roots.append(nodes[area.code])
        else:
            nodes[parent_code].children.append(nodes[area.code])
    return roots


def area_counts(area: Area) -> AreaCounts:
    """Counts for one area (three queries), for detail pages and home panels."""
    inside = Area.objects.filter(code__startswith=area.code, is_active=True)
    levels = Counter(inside.values_list("level", flat=True))
    grids = _with_boundary_flag(inside.filter(level=AreaLevel.GRID)).values_list(
        "id", "has_boundary"
    )
    grid_rows = list(grids)
    workers = _workers_per_grid(Q(area__code__startswith=area.code))
    return AreaCounts(
        streets=levels.get(AreaLevel.STREET, 0),
        communities=levels.get(AreaLevel.COMMUNITY, 0),
        grids=levels.get(AreaLevel.GRID, 0),
        grid_workers=len(set().union(*workers.values())) if workers else 0,
        grids_without_worker=sum(1 for gid, _b in grid_rows if not workers.get(gid)),
        grids_without_boundary=sum(1 for _g, has in grid_rows if not has),
        units=Unit.objects.filter(area__code__startswith=area.code, is_active=True).count(),
    )


def grid_workers(grid_ids) -> dict[int, list]:
    """The grid workers of each grid, as user objects (one query)."""
    result: dict[int, list] = defaultdict(list)
    rows = (
        RoleAssignment.objects.filter(role=Role.GRID_WORKER, area_id__in=list(grid_ids))
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    for assignment in rows:
        result[assignment.area_id].append(assignment.user)
    return result


def grids_geojson(user, *, within: Area | None = None) -> dict:
    """The grids ``user`` may see as a GeoJSON FeatureCollection for the map (two queries).

    Each feature carries what the popup shows (code, name, community, grid workers) and a
    colour picked per community, so neighbouring communities read apart.
    """
    grids = (
        Area.objects.restrict(user, "view")
        .grids()
        .filter(is_active=True, boundary__isnull=False)
        .select_related("parent")
        .order_by("code")
    )
    if within is not None:
        grids = grids.filter(code__startswith=within.code)
    grids = list(grids)
    workers = grid_workers(g.id for g in grids)
    colour = community_colours(grids)
    features = []
    for grid in grids:
        features.append(
            {
                "type": "Feature",
                "id": grid.id,
                "geometry": grid.boundary,
                "properties": {
                    "code": grid.code,
                    "name": grid.name,
                    "grid_type": grid.get_grid_type_display(),
                    "community": grid.parent.name,
                    "community_code": grid.parent.code,
                    "colour": colour[grid.parent.code],
                    "workers": [w.display_name for w in workers.get(grid.id, [])],
                    "url": reverse("grids:area_detail", args=[grid.id]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def community_colours(grids) -> dict[str, str]:
    """A palette colour per community, different for any two communities that touch.

    Greedy colouring in code order over the communities' shapes (the union of their grids), so
    the same territory always gets the same colours and neighbours always read apart. Among the
    colours no neighbour uses, the least used one is taken, so the whole palette is spread over
    the map and the legend tells most communities apart.
    """
    shapes: dict[str, list] = defaultdict(list)
    for grid in grids:
        shapes[grid.parent.code].append(shape(grid.boundary))
    codes = sorted(shapes)
    merged = [shapely.union_all(shapes[code]) for code in codes]
    tree = shapely.STRtree(merged)
    colour: dict[str, str] = {}
    used = Counter()
    for index, code in enumerate(codes):
        touching = tree.query(merged[index], predicate="intersects")
        taken = {colour[codes[other]] for other in touching if codes[other] in colour}
        free = [c for c in PALETTE if c not in taken] or PALETTE
        colour[code] = min(free, key=lambda c: used[c])  # ties: palette order (min is stable)
        used[colour[code]] += 1
    return colour


def area_outline_geojson(areas) -> dict:
    """Boundaries of non-grid areas (parents drawn as outlines on maps)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": a.id,
                "geometry": a.boundary,
                "properties": {"code": a.code, "name": a.name, "level": a.level},
            }
            for a in areas
            if a.boundary
        ],
    }
