"""Boundary geometry: parse GeoJSON into shapely shapes and check them against their neighbours.

Boundaries are GeoJSON Polygon or MultiPolygon geometries in WGS84 (longitude, latitude). The
checks here are pure (no database), so the editor, the import command and the API share them and
an import can validate the state it is about to create rather than the one it replaces.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep
from shapely.validation import explain_validity

POLYGON_TYPES = ("Polygon", "MultiPolygon")
# Metres per degree of latitude; a degree of longitude is this times cos(latitude).
_M_PER_DEG = 111_320.0


def parse_boundary(data) -> tuple[dict, BaseGeometry]:
    """Check GeoJSON and return (clean geometry dict, shapely geometry).

    Accepts a geometry, a Feature, a FeatureCollection holding exactly one feature, or the same
    as a JSON string. Raises ``ValidationError`` naming the problem in the user's language.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ValidationError(_("The boundary is not valid JSON."), code="json") from exc
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise ValidationError(
                _("Give exactly one feature for one area's boundary (found %(n)s).")
                % {"n": len(features)},
                code="features",
            )
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in POLYGON_TYPES:
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ValidationError(
            _("A boundary must be a Polygon or MultiPolygon, not %(type)s.") % {"type": found},
            code="type",
        )
    coordinates = data.get("coordinates")
    polygons = [coordinates] if data["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The boundary has no coordinates."), code="empty")
    clean_polygons = [_clean_polygon(p, n) for n, p in enumerate(polygons, start=1)]
    clean = {
        "type": data["type"],
        "coordinates": clean_polygons[0] if data["type"] == "Polygon" else clean_polygons,
    }
    geometry = shape(clean)
    if not geometry.is_valid:
        raise ValidationError(_describe_invalid(geometry), code="invalid")
    if geometry.area <= 0:
        raise ValidationError(_("The boundary encloses no area."), code="empty")
    return clean, geometry


def _clean_polygon(rings, polygon_number: int) -> list:
    if not isinstance(rings, list) or not rings:
        raise ValidationError(
            _("Polygon %(p)s has no rings.") % {"p": polygon_number}, code="empty"
        )
    return [_clean_ring(ring, polygon_number, n) for n, ring in enumerate(rings, start=1)]


def _clean_ring(ring, polygon_number: int, ring_number: int) -> list[list[float]]:
    where = {"p": polygon_number, "r": ring_number}
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(
            _("Ring %(r)s of polygon %(p)s needs at least 4 positions (a closed triangle).")
            % where,
            code="short_ring",
        )
    points = []
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and math.isfinite(v) for v in position[:2])
        ):
            raise ValidationError(
                _("Ring %(r)s of polygon %(p)s has a position that is not [longitude, latitude].")
                % where,
                code="position",
            )
        lng, lat = float(position[0]), float(position[1])
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise ValidationError(
                _(
                    "Ring %(r)s of polygon %(p)s has a point outside longitude -180..180 / "
                    "latitude -90..90: (%(lng)s, %(lat)s). "
                    "Coordinates go longitude first, in WGS84."
                )
                % {**where, "lng": lng, "lat": lat},
                code="range",
            )
        points.append([lng, lat])
    if points[0] != points[-1]:
        raise ValidationError(
            _(
                "Ring %(r)s of polygon %(p)s is not closed: its last point must repeat its "
                "first (%(lng)s, %(lat)s)."
            )
            % {**where, "lng": points[0][0], "lat": points[0][1]},
            code="open_ring",
        )
    return points


def _describe_invalid(geometry: BaseGeometry) -> str:
    reason = explain_validity(geometry)  # e.g. "Self-intersection[111.28 30.69]"
    location = ""
    if "[" in reason:
        coords = reason[reason.index("[") + 1 : reason.rindex("]")].split()
        if len(coords) >= 2:
            location = f"({float(coords[0]):.6f}, {float(coords[1]):.6f})"
    if reason.startswith(("Self-intersection", "Ring Self-intersection")):
        return _("The boundary crosses itself near %(where)s.") % {"where": location}
    if reason.startswith("Too few points"):
        return _("The boundary has too few distinct points.")
    if reason.startswith(("Hole lies outside shell", "Nested shells", "Interior is disconnected")):
        return _("The boundary's rings are arranged incorrectly near %(where)s.") % {
            "where": location
        }
    return _("The boundary is not a valid polygon: %(reason)s.") % {"reason": reason}


def area_m2(geometry: BaseGeometry) -> float:
    """Approximate area in square metres (local equirectangular projection; fine at city scale)."""
    if geometry.is_empty:
        return 0.0
    lat0 = math.radians(geometry.centroid.y)
    factors = (_M_PER_DEG * math.cos(lat0), _M_PER_DEG)
    return shapely.transform(geometry, lambda xy: xy * factors).area


@dataclass(frozen=True)
class Neighbour:
    """Another area's boundary the checked one is compared with."""

    label: str
    geometry: BaseGeometry


def boundary_problems(
    geometry: BaseGeometry,
    *,
    parent: Neighbour | None,
    siblings: Iterable[Neighbour],
    outside_tolerance_m2: float,
    overlap_tolerance_m2: float,
) -> list[str]:
    """Messages for a boundary that sticks out of its parent or overlaps its siblings."""
    problems = []
    if parent is not None:
        outside = area_m2(geometry.difference(parent.geometry))
        if outside > outside_tolerance_m2:
            problems.append(
                _("The boundary extends %(m2)s m² outside %(parent)s.")
                % {"m2": f"{outside:,.0f}", "parent": parent.label}
            )
    prepared = prep(geometry)
    for sibling in siblings:
        if not prepared.intersects(sibling.geometry):
            continue
        overlap = area_m2(geometry.intersection(sibling.geometry))
        if overlap > overlap_tolerance_m2:
            problems.append(
                _("The boundary overlaps %(sibling)s by %(m2)s m².")
                % {"sibling": sibling.label, "m2": f"{overlap:,.0f}"}
            )
    return problems
