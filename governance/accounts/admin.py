from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from governance.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["area", "unit"]
    readonly_fields = ["created_at", "created_by"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """The Django admin view of staff; day-to-day management uses the staff pages."""

    list_display = ["username", "full_name", "unit", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "phone"]
    list_select_related = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Details"), {"fields": ("full_name", "phone", "email", "unit")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [RoleAssignmentInline]
