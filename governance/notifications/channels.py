"""Delivery channels. The in-product channel (the bell) is always there; others (SMS, a
messaging gateway) plug in by naming a class in ``NOTIFICATION_CHANNELS``.

A channel receives ``Message`` objects, one per recipient, after the change they report has
been committed, in a Celery worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_CHANNELS = ["governance.notifications.channels.InProductChannel"]


@dataclass(frozen=True)
class Message:
    recipient_id: int
    verb: str
    params: dict = field(default_factory=dict)
    url: str = ""
    actor_id: int | None = None
    target_type: str = ""
    target_id: str = ""


class Channel:
    """A way to reach people. ``send`` must not raise for one bad recipient."""

    name = "base"

    def send(self, messages: list[Message]) -> int:  # pragma: no cover - interface
        raise NotImplementedError


class InProductChannel(Channel):
    """The bell in the navigation bar: one ``Notification`` row per message."""

    name = "in_product"

    def send(self, messages: list[Message]) -> int:
        from governance.notifications.models import Notification

        rows = [
            Notification(
                recipient_id=m.recipient_id,
                verb=m.verb,
                params=m.params,
                url=m.url,
                actor_id=m.actor_id,
                target_type=m.target_type,
                target_id=m.target_id,
            )
            for m in messages
        ]
        Notification.objects.bulk_create(rows)
        return len(rows)


def channels() -> list[Channel]:
    paths = getattr(settings, "NOTIFICATION_CHANNELS", None) or DEFAULT_CHANNELS
    return [import_string(path)() for path in paths]
