"""Delivering notifications in the worker."""

from celery import shared_task

from governance.notifications.services import deliver


@shared_task(ignore_result=False, acks_late=True)
def deliver_notification(payload: dict) -> int:
    """Send one notification to its recipients on every channel; returns how many."""
    return deliver(payload)
