"""Rental housing (出租房屋): landlord, tenants, contract period, security letter, inspections."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.scoping import RestrictedQuerySet
from residents.choices import InspectionResult
from residents.models.base import ChainScopedModel, ProtectedValuesMixin


class RentalQuerySet(RestrictedQuerySet):
    def current(self, today=None):
        """Registrations not ended whose contract has not expired."""
        today = today or timezone.localdate()
        return self.filter(ended_on__isnull=True, contract_end__gte=today)

    def expired(self, today=None):
        today = today or timezone.localdate()
        return self.filter(ended_on__isnull=True, contract_end__lt=today)


class Rental(ProtectedValuesMixin, ChainScopedModel, models.Model):
    """A rental registration on a house. The landlord is a registered resident, or an
    outside person whose name, phone and ID number are kept here (encrypted)."""

    scope_area_field = "house__building__grid"
    PROTECTED = {
        "landlord_phone": ("rental.landlord_phone", "phone"),
        "landlord_id_number": ("rental.landlord_id_number", "id"),
    }

    house = models.ForeignKey(
        "residents.House", on_delete=models.PROTECT, related_name="rentals", verbose_name=_("house")
    )
    landlord = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rentals_as_landlord",
        verbose_name=_("landlord (resident)"),
    )
    landlord_name = models.CharField(_("landlord's name"), max_length=50, blank=True)
    landlord_phone_enc = models.TextField(blank=True, editable=False)
    landlord_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    landlord_phone_masked = models.CharField(
        _("landlord's phone"), max_length=20, blank=True, editable=False
    )
    landlord_id_number_enc = models.TextField(blank=True, editable=False)
    landlord_id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    landlord_id_number_masked = models.CharField(
        _("landlord's ID number"), max_length=40, blank=True, editable=False
    )
    tenants = models.ManyToManyField(
        "residents.Resident", blank=True, related_name="tenancies", verbose_name=_("tenants")
    )
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"), db_index=True)
    letter_signed = models.BooleanField(_("security responsibility letter signed"), default=False)
    letter_signed_on = models.DateField(_("letter signed on"), null=True, blank=True)
    ended_on = models.DateField(_("registration ended on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RentalQuerySet.as_manager()

    class Meta:
        verbose_name = _("rental registration")
        verbose_name_plural = _("rental registrations")
        ordering = ["-contract_end", "-id"]
        constraints = [
            models.CheckConstraint(
                name="rental_contract_ends_after_start",
                condition=Q(contract_end__gte=models.F("contract_start")),
            ),
            models.CheckConstraint(
                name="rental_letter_date_when_signed",
                condition=Q(letter_signed=False) | Q(letter_signed_on__isnull=False),
            ),
            models.CheckConstraint(
                name="rental_has_a_landlord",
                condition=Q(landlord__isnull=False) | ~Q(landlord_name=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.house} ({self.contract_start:%Y-%m-%d} ~ {self.contract_end:%Y-%m-%d})"

    @property
    def landlord_display(self) -> str:
        return self.landlord.name if self.landlord_id else self.landlord_name

    def is_expired(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.ended_on is None and self.contract_end < today

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.ended_on is None and self.contract_end >= today


class RentalInspection(ChainScopedModel, models.Model):
    """A visit to a rented house to check it (以房管人)."""

    scope_area_field = "rental__house__building__grid"

    rental = models.ForeignKey(
        Rental, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("rental")
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("inspector"),
    )  # fmt: skip
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rental inspection")
        verbose_name_plural = _("rental inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.rental.house} {self.inspected_on:%Y-%m-%d}"
