"""The notification list: the signed-in user's own notifications only."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from governance.notifications.models import Notification
from governance.notifications.services import notifications_mark_read
from governance.web import paginate


@require_GET
def notification_list(request):
    rows = Notification.objects.filter(recipient=request.user).select_related("actor")
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        rows = rows.unread()
    return render(
        request,
        "notifications/list.html",
        {"page": paginate(request, rows, 30), "only_unread": only_unread},
    )


@require_POST
def notification_read(request):
    ids = request.POST.getlist("id")
    notifications_mark_read(user=request.user, ids=[int(i) for i in ids if i.isdigit()] or None)
    return redirect("notifications:list")


@require_GET
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None)
    return redirect(notification.url if notification.url and safe else "notifications:list")
