"""Writes of the event pipeline. Views, the API, tasks and the demo call these and nothing else.

Every transition takes keyword arguments, an explicit ``actor`` and an optional ``now`` (the
demo and tests replay history with it; real calls leave it out).
"""

from events.services.alerts import alerts_notify, sweep_alerts
from events.services.dispatch import (
    event_accept,
    event_dispatch,
    event_grab,
    event_joint,
    event_reassign,
    event_reject,
    event_return,
    event_split,
)
from events.services.feedback import (
    auto_close_unrated,
    event_auto_close,
    event_close,
    event_rate,
    event_verify,
)
from events.services.handling import (
    task_complete,
    task_decide_extension,
    task_progress,
    task_request_extension,
    task_send_back,
    task_sign,
)
from events.services.intake import (
    event_report,
    event_supplement,
    nearby_open_events,
    suggest_units,
)
from events.services.items import (
    service_category_create,
    service_item_create,
    service_item_update,
    service_items_export,
    service_items_import,
)
from events.services.supervision import (
    alert_settings_update,
    supervision_issue,
    unit_head_add,
    unit_head_remove,
)

__all__ = [
    "alert_settings_update",
    "alerts_notify",
    "auto_close_unrated",
    "event_accept",
    "event_auto_close",
    "event_close",
    "event_dispatch",
    "event_grab",
    "event_joint",
    "event_rate",
    "event_reassign",
    "event_reject",
    "event_report",
    "event_return",
    "event_split",
    "event_supplement",
    "event_verify",
    "nearby_open_events",
    "service_category_create",
    "service_item_create",
    "service_item_update",
    "service_items_export",
    "service_items_import",
    "suggest_units",
    "supervision_issue",
    "sweep_alerts",
    "task_complete",
    "task_decide_extension",
    "task_progress",
    "task_request_extension",
    "task_send_back",
    "task_sign",
    "unit_head_add",
    "unit_head_remove",
]
