"""Forms of the territory pages. They check input shape; the services check the rules."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from governance.forms import StyledForm
from grids.choices import AreaLevel, DepartmentType, GridType, UnitKind
from grids.models import Area


class AreaCreateForm(StyledForm):
    level = forms.ChoiceField(label=_("Level"), choices=AreaLevel.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent area"), queryset=Area.objects.none(), required=False
    )
    code = forms.CharField(label=_("Code"), max_length=15)
    name = forms.CharField(label=_("Name"), max_length=100)
    grid_type = forms.ChoiceField(
        label=_("Grid type"), choices=[("", "—"), *GridType.choices], required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class AreaEditForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    grid_type = forms.ChoiceField(
        label=_("Grid type"), choices=[("", "—"), *GridType.choices], required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        if not area.is_grid:
            del self.fields["grid_type"]


class BoundaryForm(StyledForm):
    """The boundary drawn on the map, as GeoJSON text (empty clears it)."""

    boundary = forms.CharField(
        label=_("Boundary (GeoJSON)"), widget=forms.HiddenInput, required=False
    )


class BoundaryImportForm(StyledForm):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection in WGS84; each feature names its area by code."),
    )
    code_property = forms.CharField(label=_("Code property"), initial="code", max_length=50)
    name_property = forms.CharField(
        label=_("Name property"),
        initial="name",
        max_length=50,
        help_text=_("Used when a feature has no code; the name must be unambiguous."),
    )
    within = forms.ModelChoiceField(
        label=_("Only under"), queryset=Area.objects.none(), required=False
    )
    skip_invalid = forms.BooleanField(
        label=_("Save the valid features even if some are rejected"), required=False
    )
    dry_run = forms.BooleanField(label=_("Check only, save nothing"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["within"].queryset = areas

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BOUNDARY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.BOUNDARY_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc


class UnitForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    department_type = forms.ChoiceField(
        label=_("Department type"),
        choices=[("", "—"), *DepartmentType.choices],
        required=False,
    )
    area = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Area.objects.none())
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
