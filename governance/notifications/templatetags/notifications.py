"""The bell in the navigation bar."""

from django import template

from governance.notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    """The unread count of the signed-in user (one indexed count query per page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False, "count": 0}
    count = Notification.objects.filter(recipient=user).unread().count()
    return {"show": True, "count": count}
