"""Read-only admin for support staff: events change only through the workflow services."""

from django.contrib import admin

from events.models import Event, FlowEntry, ServiceCategory, ServiceItem, ServiceItemVersion, Task


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReadOnly):
    list_display = ["code", "name", "parent", "is_active"]


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnly):
    list_display = ["code", "current", "is_active"]
    search_fields = ["code", "current__name"]


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(ReadOnly):
    list_display = ["item", "number", "name", "category", "created_at"]


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    can_delete = False
    fields = ["unit", "is_lead", "status", "sign_started_at", "handle_started_at", "finished_at"]
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ["number", "item_version", "urgency", "status", "grid", "reported_at"]
    list_filter = ["status", "urgency", "source"]
    search_fields = ["number", "description", "address"]
    inlines = [TaskInline]


@admin.register(FlowEntry)
class FlowEntryAdmin(ReadOnly):
    list_display = ["created_at", "event", "action", "actor_label", "to_status"]
    search_fields = ["event__number"]
