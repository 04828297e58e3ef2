"""Template filters of the event pages: status badges, stage clocks, flow-log wording."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.choices import ALERT_CODES, AlertLevel, ClockStage, Urgency
from events.workflow import TRANSITIONS, EventStatus, TaskStatus

register = template.Library()

STATUS_CLASS = {
    EventStatus.PENDING: "text-bg-warning",
    EventStatus.REPORTED: "text-bg-warning",
    EventStatus.GRABBED: "text-bg-info",
    EventStatus.RETURNED: "text-bg-danger",
    EventStatus.SENT_BACK: "text-bg-danger",
    EventStatus.DISPATCHED: "text-bg-primary",
    EventStatus.IN_PROGRESS: "text-bg-primary",
    EventStatus.HANDLED: "text-bg-info",
    EventStatus.VERIFIED: "text-bg-success",
    EventStatus.CLOSED: "text-bg-secondary",
    EventStatus.REJECTED: "text-bg-dark",
}
TASK_CLASS = {
    TaskStatus.AWAITING_SIGN: "text-bg-warning",
    TaskStatus.IN_PROGRESS: "text-bg-primary",
    TaskStatus.DONE: "text-bg-success",
    TaskStatus.SENT_BACK: "text-bg-danger",
    TaskStatus.CANCELLED: "text-bg-secondary",
}
URGENCY_CLASS = {
    Urgency.NORMAL: "text-bg-light border",
    Urgency.IMPORTANT: "text-bg-warning",
    Urgency.URGENT: "text-bg-danger",
}
# Flow-log actions that are not transitions of the table.
EXTRA_ACTIONS = {
    "report": gettext_lazy("Reported"),
    "on_the_spot": gettext_lazy("Handled on the spot"),
    "supplement": gettext_lazy("Supplement"),
    "duplicate_linked": gettext_lazy("Duplicate linked"),
    "extension_approved": gettext_lazy("Extension approved"),
    "extension_refused": gettext_lazy("Extension refused"),
    "supervise": gettext_lazy("Supervision notice"),
}
# Each colour also has its own icon and words: the badge never relies on colour alone.
ALERT_ICON = {
    AlertLevel.NONE: "bi-check-circle",
    AlertLevel.BLUE: "bi-hourglass-top",
    AlertLevel.YELLOW: "bi-hourglass-split",
    AlertLevel.ORANGE: "bi-exclamation-circle-fill",
    AlertLevel.RED: "bi-exclamation-triangle-fill",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "text-bg-secondary")


@register.filter
def task_class(status: str) -> str:
    return TASK_CLASS.get(status, "text-bg-secondary")


@register.filter
def urgency_class(urgency: str) -> str:
    return URGENCY_CLASS.get(urgency, "text-bg-light")


@register.filter
def status_label(status: str) -> str:
    try:
        return EventStatus(status).label
    except ValueError:
        return status


@register.filter
def action_label(action: str) -> str:
    if action in EXTRA_ACTIONS:
        return EXTRA_ACTIONS[action]
    transition = TRANSITIONS.get(action)
    return transition.label if transition else action


@register.filter
def duration(value) -> str:
    """A timedelta as "2天3小时", "3小时12分" or "8分钟" (in the active language)."""
    if not isinstance(value, timedelta):
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)sd %(h)sh") % {"d": days, "h": hours}
    if hours:
        return _("%(h)sh %(m)smin") % {"h": hours, "m": mins}
    return _("%(m)smin") % {"m": mins}


@register.filter
def since(moment, now) -> timedelta | None:
    """``now - moment`` for the stage clock (``{{ e.stage_started_at|since:now|duration }}``)."""
    if moment is None or now is None:
        return None
    return now - moment


@register.filter
def rating_label(value: str) -> str:
    from events.choices import Rating

    try:
        return Rating(value).label
    except ValueError:
        return value


def hours(value) -> str:
    """Working time as hours and minutes ("35小时", "2小时30分"): a working day is not 24 hours,
    so days would mislead."""
    minutes = int(abs(value.total_seconds()) // 60)
    h, m = divmod(minutes, 60)
    if h and m:
        return _("%(h)sh %(m)smin") % {"h": h, "m": m}
    if h:
        return _("%(h)sh") % {"h": h}
    return _("%(m)smin") % {"m": m}


def _clock(context):
    clock = context.get("clock")
    if clock is None:
        from events.selectors import page_clock

        clock = page_clock(context.get("now"))
        context["clock"] = clock
    return clock


@register.simple_tag(takes_context=True)
def alert_badge(context, row, *, short: bool = False) -> str:
    """The colour of a row's running clock as a badge with words and an icon, e.g.
    "Red alert · overdue 5h" (blank when no clock runs)."""
    if not row.has_clock:
        return ""
    clock = _clock(context)
    level = AlertLevel(row.alert_level)
    left = clock.time_left(row)
    amount = hours(left) if not row.calendar_hours else duration(abs(left))
    if left.total_seconds() >= 0:
        text = _("%(level)s · %(left)s left") % {"level": level.label, "left": amount}
    else:
        text = _("%(level)s · overdue %(late)s") % {"level": level.label, "late": amount}
    if short:
        text = str(level.label)
    title = _("%(stage)s due %(due)s") % {
        "stage": ClockStage(row.stage).label,
        "due": f"{timezone.localtime(row.deadline):%Y-%m-%d %H:%M}",
    }
    return format_html(
        '<span class="badge alert-badge alert-{}" data-alert="{}" title="{}">'
        '<i class="bi {}" aria-hidden="true"></i> {}</span>',
        ALERT_CODES[level],
        ALERT_CODES[level],
        title,
        ALERT_ICON[level],
        text,
    )


@register.filter
def alert_label(level) -> str:
    try:
        return AlertLevel(int(level)).label
    except (TypeError, ValueError):
        return ""


@register.filter
def alert_code(level) -> str:
    try:
        return ALERT_CODES[AlertLevel(int(level))]
    except (TypeError, ValueError):
        return ""


@register.filter
def alert_icon(level) -> str:
    try:
        return ALERT_ICON[AlertLevel(int(level))]
    except (TypeError, ValueError):
        return ""


@register.filter
def stage_label(stage: str) -> str:
    try:
        return ClockStage(stage).label
    except ValueError:
        return stage


@register.simple_tag(takes_context=True)
def time_left_text(context, row) -> str:
    """ "5h left" / "overdue 2h" for a row's running clock (blank without one)."""
    if not row.has_clock:
        return ""
    left = _clock(context).time_left(row)
    amount = hours(left) if not row.calendar_hours else duration(abs(left))
    if left.total_seconds() >= 0:
        return _("%(left)s left") % {"left": amount}
    return _("overdue %(late)s") % {"late": amount}


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (empty values removed)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in ("", None):
            query[key] = value
    query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
