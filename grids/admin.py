from django.contrib import admin

from grids.models import Area, Unit


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Plain admin for support staff; boundaries are edited on the map pages."""

    list_display = ["code", "name", "level", "grid_type", "is_active"]
    list_filter = ["level", "grid_type", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["boundary", "created_at", "updated_at"]
    raw_id_fields = ["parent"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "department_type", "area", "is_active"]
    list_filter = ["kind", "department_type", "is_active"]
    search_fields = ["name", "area__name", "area__code"]
    raw_id_fields = ["area"]
