"""Filters of the registry API (django-filter). Searches go through the same selectors as the
pages, so "zs" finds 张三 in both."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from residents.models import (
    Building,
    CareMembership,
    House,
    Household,
    Rental,
    Resident,
    Venue,
    Visit,
)
from residents.selectors import is_sensitive_query, search_q


class GridCodeFilter(filters.FilterSet):
    grid_code = filters.CharFilter(
        method="filter_grid_code", label=_("Area code prefix (a street, community or grid)")
    )
    grid_path = "grid__code"

    def filter_grid_code(self, queryset, name, value):
        return queryset.filter(**{f"{self.grid_path}__startswith": value})


class BuildingFilter(GridCodeFilter):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))

    class Meta:
        model = Building
        fields = ["grid", "building_type"]


class HouseFilter(GridCodeFilter):
    grid_path = "building__grid__code"

    class Meta:
        model = House
        fields = ["building", "unit", "floor", "use"]


class ResidentFilter(GridCodeFilter):
    q = filters.CharFilter(
        method="filter_q",
        label=_("Name, pinyin initials, last digits of the phone, or a full ID number"),
    )

    class Meta:
        model = Resident
        fields = ["grid", "house", "household", "status", "registration_type", "ethnicity"]

    def filter_q(self, queryset, name, value):
        if is_sensitive_query(value):
            raise ValidationError(
                {"q": _("Send ID numbers and phones in the body of POST "
                        "/api/v1/residents/search/, never in a URL.")}
            )  # fmt: skip
        return queryset.filter(search_q(value))


class HouseholdFilter(GridCodeFilter):
    class Meta:
        model = Household
        fields = ["grid", "house", "head"]


class RentalFilter(GridCodeFilter):
    grid_path = "house__building__grid__code"
    state = filters.ChoiceFilter(
        method="filter_state",
        choices=[("current", _("Current")), ("expired", _("Contract expired")),
                 ("ended", _("Ended"))],
    )  # fmt: skip

    class Meta:
        model = Rental
        fields = ["house", "letter_signed"]

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "current":
            return queryset.current(today)
        if value == "expired":
            return queryset.expired(today)
        return queryset.filter(ended_on__isnull=False)


class MembershipFilter(GridCodeFilter):
    grid_path = "resident__grid__code"
    state = filters.ChoiceFilter(
        method="filter_state",
        choices=[("open", _("Open")), ("overdue", _("Overdue")),
                 ("due_soon", _("Due within a week")), ("ended", _("Ended"))],
    )  # fmt: skip

    class Meta:
        model = CareMembership
        fields = ["resident", "group", "level"]

    def filter_state(self, queryset, name, value):
        if value == "overdue":
            return queryset.overdue()
        if value == "due_soon":
            return queryset.due_soon()
        if value == "open":
            return queryset.active()
        return queryset.filter(ended_on__isnull=False)


class VisitFilter(GridCodeFilter):
    grid_path = "membership__resident__grid__code"

    class Meta:
        model = Visit
        fields = ["membership", "method", "visitor"]


class VenueFilter(GridCodeFilter):
    uninspected = filters.BooleanFilter(
        method="filter_uninspected", label=_("Not inspected this month")
    )

    class Meta:
        model = Venue
        fields = ["grid", "venue_type", "is_active"]

    def filter_uninspected(self, queryset, name, value):
        if value:
            return queryset.not_inspected_this_month()
        return queryset.exclude(pk__in=queryset.not_inspected_this_month().values("pk"))
