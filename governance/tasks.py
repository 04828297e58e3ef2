"""Tasks that belong to no single app."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "governance:heartbeat"


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Record that beat scheduled and a worker ran a task; the admin home shows how long ago."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)


@shared_task
def ping(value: str) -> str:
    """Echo a value back: proves a worker consumes the queue (used by the health tests)."""
    return value
