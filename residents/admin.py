"""Django admin for support staff: groups, intervals and visibility are edited here; personal
data is read-only (masked) and the access log cannot be changed at all."""

from django.contrib import admin

from residents import services
from residents.models import (
    AccessLog,
    Building,
    CareGroup,
    CareGroupAccess,
    CareInterval,
    CareMembership,
    House,
    Rental,
    Resident,
    Venue,
)


class CareIntervalInline(admin.TabularInline):
    model = CareInterval
    extra = 0


class CareGroupAccessInline(admin.TabularInline):
    model = CareGroupAccess
    extra = 0


@admin.register(CareGroup)
class CareGroupAdmin(admin.ModelAdmin):
    """Groups are data: administrators add groups, set intervals and say which roles see them."""

    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    inlines = [CareIntervalInline, CareGroupAccessInline]
    prepopulated_fields = {"code": ["name"]}

    def save_formset(self, request, form, formset, change):
        """Interval changes go through the service, so open memberships follow at once."""
        if formset.model is not CareInterval:
            return super().save_formset(request, form, formset, change)
        for obj in formset.deleted_objects:
            obj.delete()
        for interval in formset.save(commit=False):
            if interval.pk is None:
                interval.save()
            services.interval_set(actor=request.user, interval=interval, days=interval.days)
        return None


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written through the pages and services; the admin only looks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Building)
class BuildingAdmin(ReadOnlyAdmin):
    list_display = ["name", "grid", "building_type", "floors", "units"]
    list_filter = ["building_type"]
    search_fields = ["name", "address", "grid__code"]


@admin.register(House)
class HouseAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "floor", "use"]
    list_filter = ["use"]
    list_select_related = ["building"]


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin):
    list_display = ["name", "id_number_masked", "phone_masked", "grid", "status"]
    list_filter = ["status", "registration_type"]
    search_fields = ["name", "name_initials"]
    list_select_related = ["grid"]
    exclude = ["id_number_enc", "id_number_hash", "phone_enc", "phone_hash"]


@admin.register(Rental)
class RentalAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "contract_start", "contract_end", "ended_on", "letter_signed"]
    exclude = [
        "landlord_phone_enc", "landlord_phone_hash", "landlord_id_number_enc",
        "landlord_id_number_hash",
    ]  # fmt: skip


@admin.register(CareMembership)
class CareMembershipAdmin(ReadOnlyAdmin):
    list_display = ["resident", "group", "level", "next_due_on", "ended_on"]
    list_filter = ["group", "level"]


@admin.register(Venue)
class VenueAdmin(ReadOnlyAdmin):
    list_display = ["name", "venue_type", "grid", "last_inspected_on", "is_active"]
    list_filter = ["venue_type", "is_active"]
    exclude = ["contact_phone_enc", "contact_phone_hash"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Append-only: no one adds, changes or deletes entries by hand."""

    list_display = ["created_at", "actor", "action", "field", "target_repr", "reason"]
    list_filter = ["action", "field"]
    search_fields = ["actor__username", "target_repr", "reason"]
    date_hierarchy = "created_at"
