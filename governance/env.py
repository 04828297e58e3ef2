"""Typed readers for settings taken from the environment.

Every reader fails loudly (``ImproperlyConfigured`` naming the variable) on a value it cannot
parse, instead of silently falling back to a default. ``NAME_FILE`` may point at a file holding
the value (Docker and Kubernetes secrets); it wins over ``NAME`` when both are set.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from exc
    return os.environ.get(name)


def is_set(name: str) -> bool:
    """Whether the variable (or its ``_FILE`` form) is present and not empty."""
    return bool(_raw(name))


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_float(
    name: str, default: float, *, lo: float | None = None, hi: float | None = None
) -> float:
    value = _raw(name)
    if value is None or not value.strip():
        return default
    try:
        number = float(value.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from exc
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        raise ImproperlyConfigured(f"{name} must be between {lo} and {hi}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    """A URL whose scheme is one of ``schemes``; empty means "not configured"."""
    value = env_str(name, default)
    if value:
        scheme = urlparse(value).scheme
        if scheme not in schemes:
            raise ImproperlyConfigured(
                f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}, "
                f"not {value!r}"
            )
    return value


def env_point(name: str, default: tuple[float, float]) -> tuple[float, float]:
    """A ``lat,lng`` pair in WGS84, e.g. ``30.70,111.29``."""
    value = _raw(name)
    if value is None or not value.strip():
        return default
    parts = value.split(",")
    try:
        lat, lng = (float(p) for p in parts)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be 'lat,lng' in degrees, not {value!r}") from exc
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ImproperlyConfigured(
            f"{name} is out of range (lat -90..90, lng -180..180): {value!r}"
        )
    return lat, lng
