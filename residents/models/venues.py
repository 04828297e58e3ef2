"""Venues under watch (重点场所) and their monthly inspections with sign-off (点签制)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.scoping import RestrictedQuerySet
from residents.choices import InspectionResult, VenueType
from residents.models.base import ChainScopedModel, ProtectedValuesMixin


def month_start(today=None):
    today = today or timezone.localdate()
    return today.replace(day=1)


class VenueQuerySet(RestrictedQuerySet):
    def not_inspected_this_month(self, today=None):
        start = month_start(today)
        return self.filter(is_active=True).exclude(last_inspected_on__gte=start)


class Venue(ProtectedValuesMixin, ChainScopedModel, models.Model):
    """A hotel, internet café, entertainment venue or construction site under watch."""

    scope_area_field = "grid"
    PROTECTED = {"contact_phone": ("venue.contact_phone", "phone")}

    grid = models.ForeignKey(
        "grids.Area", on_delete=models.PROTECT, related_name="venues", verbose_name=_("grid")
    )
    name = models.CharField(_("name"), max_length=100)
    venue_type = models.CharField(_("type"), max_length=16, choices=VenueType.choices)
    address = models.CharField(_("address"), max_length=200)
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    contact_phone_masked = models.CharField(
        _("contact phone"), max_length=20, blank=True, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_inspected_on = models.DateField(_("last inspected on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["grid__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "name"], name="venue_name_unique_in_grid")
        ]
        indexes = [models.Index(fields=["grid", "last_inspected_on"], name="venue_inspected")]

    def __str__(self) -> str:
        return self.name

    def inspected_this_month(self, today=None) -> bool:
        return bool(self.last_inspected_on and self.last_inspected_on >= month_start(today))


class VenueInspection(ChainScopedModel, models.Model):
    """One inspection of a venue, signed off by the inspector and the venue's person in charge."""

    scope_area_field = "venue__grid"

    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("venue")
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("inspector"),
    )  # fmt: skip
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    signed_off_by = models.CharField(
        _("signed off by (venue)"),
        max_length=50,
        help_text=_("The venue's person in charge who signed the inspection sheet."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue inspection")
        verbose_name_plural = _("venue inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.venue} {self.inspected_on:%Y-%m-%d}"
