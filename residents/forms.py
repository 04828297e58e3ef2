"""Forms of the registry pages. They check the shape of the input (and give early, friendly
messages); the services check the rules and have the last word."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.accounts.models import User
from governance.forms import StyledForm
from grids.models import Area
from residents.choices import (
    BuildingType,
    CareLevel,
    DocumentType,
    EndReason,
    Ethnicity,
    HelperKind,
    HouseUse,
    InspectionResult,
    ProtectedField,
    RegistrationType,
    Relation,
    ResidentStatus,
    VenueType,
    VisitMethod,
)
from residents.identity import check_id_number, check_phone
from residents.models import CareGroup, House, Resident

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices):
    return [("", "—"), *choices]


class GridChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.code})"


class BuildingForm(StyledForm):
    name = forms.CharField(label=_("Name or number"), max_length=60)
    grid = GridChoiceField(
        label=_("Grid"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The grid of the point on the map"),
        help_text=_("Leave empty to use the grid that contains the point on the map."),
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=200, initial=6)
    units = forms.IntegerField(label=_("Units (entrances)"), min_value=1, max_value=50, initial=1)
    building_type = forms.ChoiceField(label=_("Type"), choices=BuildingType.choices)

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids


class HouseForm(StyledForm):
    unit = forms.IntegerField(
        label=pgettext_lazy("building", "Unit"), min_value=1, max_value=50, initial=1
    )
    floor = forms.IntegerField(
        label=_("Floor"), min_value=-5, max_value=200, help_text=_("Basements are -1, -2…")
    )
    room = forms.CharField(label=_("Room number"), max_length=20)
    area_m2 = forms.DecimalField(
        label=_("Floor area (m²)"), max_digits=8, decimal_places=2, min_value=1, required=False
    )
    use = forms.ChoiceField(label=_("Use"), choices=HouseUse.choices)


class ResidentForm(StyledForm):
    """Add or edit a resident. The ID number is checked here already (so the error shows next
    to the field at once); for a mainland ID, sex and birth date come from the number."""

    name = forms.CharField(label=_("Full name"), max_length=50)
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.MAINLAND_ID
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-id-number": "", "spellcheck": "false"}
        ),
    )
    nationality = forms.CharField(
        label=_("Nationality or region"),
        max_length=50,
        required=False,
        help_text=_("For permits and passports only."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=_blank(Resident._meta.get_field("sex").choices),
        required=False,
        help_text=_("For permits and passports; an ID number says it already."),
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), choices=_blank(Ethnicity.choices), required=False, initial="01"
    )
    registration_type = forms.ChoiceField(
        label=_("Registration type"), choices=RegistrationType.choices
    )
    relation = forms.ChoiceField(label=_("Relation to head of household"), choices=Relation.choices)
    new_household = forms.BooleanField(
        label=_("Start a new household in this house"), required=False
    )
    moved_in_on = forms.DateField(label=_("Moved in on"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["new_household"]
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _(
                "Leave empty to keep the registered number (shown masked above)."
            )
        else:
            self.fields["id_number"].widget.attrs["inputmode"] = "text"

    def clean(self):
        data = super().clean()
        number = (data.get("id_number") or "").strip()
        if number and data.get("document_type") == DocumentType.MAINLAND_ID:
            try:
                data["id_number"] = check_id_number(number).number
            except ValidationError as exc:
                self.add_error("id_number", exc)
        if data.get("phone"):
            try:
                data["phone"] = check_phone(data["phone"])
            except ValidationError as exc:
                self.add_error("phone", exc)
        return data


class RevealForm(StyledForm):
    field = forms.ChoiceField(choices=ProtectedField.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why do you need the full value?"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. checking identity at the door")}),
    )


class RentalForm(StyledForm):
    landlord = forms.ModelChoiceField(
        empty_label=_("Not a registered resident"),
        label=_("Landlord (registered resident)"),
        queryset=Resident.objects.none(),
        required=False,
        help_text=_("Or fill in an outside landlord below."),
    )
    landlord_name = forms.CharField(
        label=_("Outside landlord's name"), max_length=50, required=False
    )
    landlord_phone = forms.CharField(
        label=_("Outside landlord's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    landlord_id_number = forms.CharField(
        label=_("Outside landlord's ID number"), max_length=20, required=False
    )
    tenants = forms.ModelMultipleChoiceField(
        label=_("Tenants"),
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Register the tenants in the house first; they show here."),
    )
    contract_start = forms.DateField(label=_("Contract start"), widget=DATE)
    contract_end = forms.DateField(label=_("Contract end"), widget=DATE)
    letter_signed = forms.BooleanField(
        label=_("Security responsibility letter signed"), required=False
    )
    letter_signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, landlords, tenants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landlord"].queryset = landlords
        self.fields["tenants"].queryset = tenants

    def clean(self):
        data = super().clean()
        if not data.get("landlord") and not data.get("landlord_name"):
            self.add_error("landlord", _("Choose the landlord, or give an outside landlord."))
        return data


class InspectionForm(StyledForm):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE)
    result = forms.ChoiceField(label=_("Result"), choices=InspectionResult.choices)
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"inspected_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class VenueInspectionForm(InspectionForm):
    signed_off_by = forms.CharField(
        label=_("Signed off by (venue's person in charge)"), max_length=50
    )


class EndForm(StyledForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)


class MembershipForm(StyledForm):
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=CareGroup.objects.none(), empty_label=_("Choose a group")
    )
    level = forms.TypedChoiceField(
        label=_("Care or risk level"), choices=CareLevel.choices, coerce=int
    )
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    helper_kind = forms.ChoiceField(
        label=_("Helper"), choices=_blank(HelperKind.choices), required=False
    )
    helper_name = forms.CharField(
        label=_("Helper's name"),
        max_length=50,
        required=False,
        help_text=_("A family member, doctor or other member of the helper team."),
    )
    helper_users = forms.ModelMultipleChoiceField(
        label=_("Staff helpers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff working where the resident lives."),
    )

    def __init__(self, *args, groups, staff, **kwargs):
        kwargs.setdefault("initial", {"started_on": timezone.localdate(), "level": 2})
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["helper_users"].queryset = staff
        self.fields["helper_users"].label_from_instance = lambda user: user.display_name

    def helpers(self) -> list[dict]:
        data = self.cleaned_data
        team = [{"kind": HelperKind.CADRE, "user": user} for user in data.get("helper_users", ())]
        if data.get("helper_kind") and data.get("helper_name"):
            team.append({"kind": data["helper_kind"], "name": data["helper_name"]})
        return team


class VisitForm(StyledForm):
    visited_at = forms.DateTimeField(
        label=_("Visited at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    method = forms.ChoiceField(
        label=_("How"), choices=VisitMethod.choices, widget=forms.RadioSelect
    )
    finding = forms.CharField(
        label=_("What did you find?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, **kwargs):
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs.setdefault("initial", {"visited_at": now, "method": VisitMethod.HOME})
        super().__init__(*args, **kwargs)


class VenueForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    venue_type = forms.ChoiceField(label=_("Type"), choices=VenueType.choices)
    grid = GridChoiceField(
        label=_("Grid"), queryset=Area.objects.none(), empty_label=_("Choose a grid")
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    licence_number = forms.CharField(label=_("Licence number"), max_length=40, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args, grids, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        if editing:
            self.fields["contact_phone"].help_text = _("Leave empty to keep the registered phone.")


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    skip_invalid = forms.BooleanField(
        label=_("Save the valid rows even if some rows are rejected"), required=False
    )


class ResidentFilterForm(forms.Form):
    """The filters of the resident list (GET)."""

    q = forms.CharField(required=False)
    grid = GridChoiceField(queryset=Area.objects.none(), required=False, empty_label=_("All grids"))
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *ResidentStatus.choices], required=False
    )
    registration_type = forms.ChoiceField(
        choices=[("", _("Any registration")), *RegistrationType.choices], required=False
    )

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control",
                "placeholder": _("Name, pinyin initials, last digits of phone, or ID number"),
                "type": "search",
                "autocomplete": "off",
            }
        )
        for name in ("grid", "status", "registration_type"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": ResidentStatus.PRESENT}
        data = self.cleaned_data
        return {
            "grid": data.get("grid"),
            "status": data.get("status"),
            "registration_type": data.get("registration_type"),
        }


# --- Special care after enrolment --------------------------------------------------------------


class LevelForm(StyledForm):
    level = forms.TypedChoiceField(
        label=_("New care or risk level"), choices=CareLevel.choices, coerce=int
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. assessed stable for six months")}),
    )


class HelperForm(StyledForm):
    """One helper: a staff member working where the resident lives, or a named person."""

    kind = forms.ChoiceField(label=_("Helper is a"), choices=HelperKind.choices)
    user = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not a staff member"),
    )
    name = forms.CharField(
        label=_("Or the person's name"),
        max_length=50,
        required=False,
        help_text=_("A family member, a doctor, a police officer…"),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda user: user.display_name

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose a staff member or write the helper's name."))
        return data


class MembershipEndForm(StyledForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Required when the reason is “other”."),
    )


# --- Moving, moving out, death -----------------------------------------------------------------


class MoveForm(StyledForm):
    house = forms.ModelChoiceField(
        label=_("Room"), queryset=House.objects.none(), empty_label=_("Choose the room")
    )
    moved_on = forms.DateField(label=_("Moved on"), widget=DATE)
    with_household = forms.BooleanField(
        label=_("Move the whole household"),
        required=False,
        help_text=_("Everyone present in the household moves, and the household with them."),
    )
    relation = forms.ChoiceField(
        label=_("Relation to the head of the household there"),
        choices=Relation.choices,
        required=False,
        help_text=_("When moving alone: the household of the new house, if it has one."),
    )
    new_household = forms.BooleanField(label=_("Start a new household there"), required=False)

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].queryset = houses
        self.fields["house"].label_from_instance = lambda h: (
            _("Floor %(floor)s · room %(room)s") % {"floor": h.floor, "room": h.room}
        )


class StatusForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=ResidentStatus.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(
        label=_("Moved to (or a note)"),
        max_length=200,
        required=False,
        help_text=_("For moving out: the new address or city, if known."),
    )


# --- Households ----------------------------------------------------------------------------------


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resident) -> str:
        return f"{obj.name} ({obj.get_relation_display()})" if obj.household_id else obj.name


class HouseholdCreateForm(StyledForm):
    head = ResidentChoiceField(
        label=_("Head of household"), queryset=Resident.objects.none(),
        empty_label=_("Choose a resident of this house"),
    )  # fmt: skip
    number = forms.CharField(label=_("Household number"), max_length=30, required=False)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = residents


class HouseholdNumberForm(StyledForm):
    number = forms.CharField(label=_("Household number"), max_length=30, required=False)


class SetHeadForm(StyledForm):
    head = ResidentChoiceField(
        label=_("New head"), queryset=Resident.objects.none(), empty_label=_("Choose a member")
    )
    former_head_relation = forms.ChoiceField(
        label=_("The former head becomes the new head's"),
        choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = members


class AddMemberForm(StyledForm):
    resident = ResidentChoiceField(
        label=_("Resident"), queryset=Resident.objects.none(), empty_label=_("Choose a resident"),
        help_text=_("Residents of the same house and grid; they leave their former household."),
    )  # fmt: skip
    relation = forms.ChoiceField(
        label=_("Relation to the head"),
        choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = candidates
