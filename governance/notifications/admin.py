from django.contrib import admin

from governance.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "verb", "read_at"]
    list_filter = ["read_at"]
    raw_id_fields = ["recipient", "actor"]
