"""Sending notifications: decided inside a service's transaction, delivered after it commits.

``notify`` never writes in the caller's transaction. It registers an on-commit hook that hands
the message to a Celery task (``deliver_notification``), so a rolled-back change notifies
nobody and a slow channel never holds a database lock. Recipients are given as user ids, or as
an *audience*: the dotted path of a function returning user ids, resolved by the worker (so the
service spends no query on it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from governance.notifications.channels import Message, channels

_inline: ContextVar[bool] = ContextVar("notifications_inline", default=False)


@contextmanager
def delivered_inline() -> Iterator[None]:
    """Deliver in this process on commit instead of through the queue (the demo seed: hundreds
    of events would otherwise leave thousands of messages for a worker)."""
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def notify(
    *,
    verb: str,
    params: dict | None = None,
    url: str = "",
    target: models.Model | None = None,
    actor=None,
    recipients: Iterable[int] = (),
    audience: tuple[str, dict] | None = None,
) -> None:
    """Tell people about ``target`` once the current transaction commits."""
    payload = {
        "verb": verb,
        "params": params or {},
        "url": url,
        "actor_id": getattr(actor, "pk", None),
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "recipients": sorted({int(r) for r in recipients}),
        "audience": list(audience) if audience else None,
    }
    inline = _inline.get()

    def send() -> None:
        if inline:
            deliver(payload)
        else:
            from governance.notifications.tasks import deliver_notification

            deliver_notification.delay(payload)

    transaction.on_commit(send)


def deliver(payload: dict) -> int:
    """Resolve the recipients and hand one message each to every channel."""
    recipients = set(payload.get("recipients") or [])
    if payload.get("audience"):
        path, kwargs = payload["audience"]
        recipients |= set(import_string(path)(**kwargs))
    recipients.discard(payload.get("actor_id"))
    if not recipients:
        return 0
    from governance.accounts.models import User

    active = User.objects.filter(pk__in=recipients, is_active=True).values_list("pk", flat=True)
    messages = [
        Message(
            recipient_id=user_id,
            verb=payload["verb"],
            params=payload.get("params") or {},
            url=payload.get("url", ""),
            actor_id=payload.get("actor_id"),
            target_type=payload.get("target_type", ""),
            target_id=payload.get("target_id", ""),
        )
        for user_id in sorted(active)
    ]
    for channel in channels():
        channel.send(messages)
    return len(messages)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when ``ids`` is None)."""
    from governance.notifications.models import Notification

    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
