"""Residents (实有人口) and their households (户)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.scoping import RestrictedQuerySet
from residents.choices import (
    DocumentType,
    Ethnicity,
    RegistrationType,
    Relation,
    ResidentStatus,
    Sex,
)
from residents.models.base import ChainScopedModel, ProtectedValuesMixin


class Household(ChainScopedModel, models.Model):
    """A household: the people registered together under one head."""

    scope_area_field = "grid"

    grid = models.ForeignKey(
        "grids.Area", on_delete=models.PROTECT, related_name="households", verbose_name=_("grid")
    )
    house = models.ForeignKey(
        "residents.House",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("house"),
    )
    head = models.OneToOneField(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_household",
        verbose_name=_("head of household"),
    )
    number = models.CharField(_("household number"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def label(self) -> str:
        """The household number, or its head's name when it has no number yet."""
        from django.utils.translation import gettext

        if self.number:
            return self.number
        if self.head_id:
            return gettext("%(name)s's household") % {"name": self.head.name}
        return f"#{self.pk}"

    @property
    def heading(self) -> str:
        """How pages name it: "Household 0012", or "Zhang San's household" until numbered."""
        from django.utils.translation import gettext

        if self.head_id and not self.number:
            return self.label
        return f"{gettext('Household')} {self.label}"


class Resident(ProtectedValuesMixin, ChainScopedModel, models.Model):
    """One person living in (or registered to) a grid. One person is one record: the keyed
    hash of the identity document is unique."""

    scope_area_field = "grid"
    PROTECTED = {
        "id_number": ("resident.id_number", "id"),
        "phone": ("resident.phone", "phone"),
    }

    grid = models.ForeignKey(
        "grids.Area", on_delete=models.PROTECT, related_name="residents", verbose_name=_("grid")
    )
    house = models.ForeignKey(
        "residents.House",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("house"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    relation = models.CharField(
        _("relation to head"), max_length=14, choices=Relation.choices, default=Relation.HEAD
    )
    name = models.CharField(_("name"), max_length=50)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, blank=True)
    name_pinyin = models.CharField(_("pinyin"), max_length=200, blank=True)
    document_type = models.CharField(
        _("document type"),
        max_length=12,
        choices=DocumentType.choices,
        default=DocumentType.MAINLAND_ID,
    )
    id_number_enc = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=40, editable=False)
    nationality = models.CharField(_("nationality or region"), max_length=50, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False, db_index=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=2, choices=Ethnicity.choices, blank=True
    )
    registration_type = models.CharField(
        _("registration type"),
        max_length=10,
        choices=RegistrationType.choices,
        default=RegistrationType.LOCAL,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResidentStatus.choices, default=ResidentStatus.PRESENT
    )
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    moved_out_to = models.CharField(_("moved to"), max_length=200, blank=True)
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["name", "id"]
        permissions = [
            ("reveal_resident", _("Can reveal ID numbers and phones")),
            ("export_resident", _("Can export residents to Excel")),
            ("import_resident", _("Can import residents from Excel")),
            ("move_resident", _("Can move residents to another house or grid")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], name="resident_one_record_per_person"
            ),
            models.CheckConstraint(
                name="resident_moved_out_after_moved_in",
                condition=Q(moved_out_on__isnull=True)
                | Q(moved_in_on__isnull=True)
                | Q(moved_out_on__gte=models.F("moved_in_on")),
            ),
            # A household has exactly one head: never two (here), and the services name a
            # new head before the old one leaves.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation="head", household__isnull=False),
                name="resident_one_head_per_household",
            ),
        ]
        indexes = [
            models.Index(fields=["grid", "status"], name="resident_grid_status"),
            models.Index(
                fields=["name_initials"],
                name="resident_initials",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["name_pinyin"], name="resident_pinyin", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["name"], name="resident_name", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        from django.utils import timezone

        if self.birth_date is None:
            return None
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
