"""Periodic work of the event pipeline (scheduled by Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from events.services import alerts_notify
from events.services import auto_close_unrated as close_unrated
from events.services import sweep_alerts as sweep


@shared_task
def auto_close_unrated() -> int:
    """Close the verified events whose rating did not come in time, as "not rated"."""
    return close_unrated()


@shared_task
def sweep_alerts() -> dict:
    """Raise the overdue colours whose thresholds have passed (every minute; see
    ``events.services.alerts``). The notifier is queued once the sweep commits."""
    return sweep().as_dict()


@shared_task(acks_late=True)
def send_alert_notifications() -> int:
    """Notify the alerts not notified yet (claimed with SKIP LOCKED, marked in the same
    transaction as the notifications: a redelivered task finds nothing left to send)."""
    return alerts_notify()
