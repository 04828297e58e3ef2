"""Which grid contains a point: an STRtree over every active grid's boundary.

The index is built once per process and rebuilt only when boundaries change. Processes (web
workers, Celery workers) learn of a change through a version token in the shared cache, which the
territory services replace whenever a grid's boundary or active flag changes; a lookup costs one
cache read plus the tree query.

A point on an edge shared by two grids belongs to the grid with the smaller code, so the answer
never depends on the order in which grids were loaded.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence

import numpy as np
import shapely
from django.core.cache import cache
from django.db import transaction
from shapely.geometry import shape

VERSION_KEY = "grids:locator-version"


class GridLocator:
    """Point-in-polygon over a fixed set of grids."""

    def __init__(self, grids: Sequence[tuple[int, str, dict]]):
        # Sorted by code: the first hit among several (a shared edge) is the smallest code.
        ordered = sorted(grids, key=lambda row: row[1])
        self.ids = np.array([row[0] for row in ordered], dtype=np.int64)
        self.codes = [row[1] for row in ordered]
        geometries = [shape(row[2]) for row in ordered]
        shapely.prepare(geometries)
        self.tree = shapely.STRtree(geometries)

    def __len__(self) -> int:
        return len(self.codes)

    def locate(self, lng: float, lat: float) -> int | None:
        """The id of the grid covering the point (boundary included), or None."""
        hits = self.tree.query(shapely.Point(lng, lat), predicate="covered_by")
        return int(self.ids[hits.min()]) if len(hits) else None

    def locate_many(self, points: Sequence[tuple[float, float]]) -> list[int | None]:
        """``locate`` for many (lng, lat) points in one vectorised query."""
        if not points:
            return []
        coords = np.asarray(points, dtype=float)
        geoms = shapely.points(coords)
        point_idx, tree_idx = self.tree.query(geoms, predicate="covered_by")
        best = np.full(len(points), np.iinfo(np.int64).max)
        np.minimum.at(best, point_idx, tree_idx)
        return [None if b == np.iinfo(np.int64).max else int(self.ids[b]) for b in best]


_lock = threading.Lock()
_state: dict[str, object] = {"version": None, "locator": None}


def _load() -> GridLocator:
    from grids.models import Area

    rows = Area.objects.grids().filter(is_active=True, boundary__isnull=False)
    return GridLocator(list(rows.values_list("id", "code", "boundary")))


def grid_locator() -> GridLocator:
    """The current locator, rebuilt if another process changed a boundary since it was built."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    with _lock:
        if _state["locator"] is None or _state["version"] != version:
            _state["locator"] = _load()
            _state["version"] = version
        return _state["locator"]  # type: ignore[return-value]


def invalidate_grid_locator() -> None:
    """Make every process rebuild its index: now (this transaction's readers) and on commit."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def grid_at(lng: float, lat: float):
    """The grid (an Area) containing the point, or None outside every grid."""
    from grids.models import Area

    grid_id = grid_locator().locate(lng, lat)
    return None if grid_id is None else Area.objects.select_related("parent").get(pk=grid_id)
