"""Forms of the staff pages. They check input shape; the services check the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.accounts.roles import ALL_LEVELS, ROLE_RULES, Role, rule
from governance.accounts.selectors import NO_ROLE
from governance.forms import StyledForm
from grids.choices import AreaLevel, UnitKind
from grids.models import Area, Unit

# Indentation of an area in a select, by level, so the territory reads as a tree (an
# ideographic space: browsers do not collapse it inside <option>).
_INDENT = "\u3000"
_DEPTH = {level: i for i, level in enumerate(AreaLevel.values)}


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{_INDENT * _DEPTH.get(obj.level, 0)}{obj.name} ({obj.code})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} · {obj.area.name}"


def role_requirement(role: str) -> str:
    """What an assignment of ``role`` must name, in words, from ``ROLE_RULES``."""
    r = rule(role)
    if r.everywhere or not r.area_levels:
        return gettext("no area: holds every permission everywhere")
    if r.unit_kinds:
        text = gettext("a unit (%(kinds)s); the role covers the unit's jurisdiction") % {
            "kinds": gettext(" or ").join(str(UnitKind(k).label) for k in r.unit_kinds)
        }
    elif tuple(r.area_levels) == ALL_LEVELS:
        text = gettext("an area of any level")
    else:
        text = gettext("an area: %(levels)s") % {
            "levels": gettext(" or ").join(str(AreaLevel(lv).label) for lv in r.area_levels)
        }
    if r.max_per_user is not None:
        text += gettext("; at most %(n)s per person") % {"n": r.max_per_user}
    return text


def role_requirements_html() -> str:
    """The list of roles and what each needs, for help text."""
    return format_html(
        '<ul class="list-unstyled mb-0 role-rules">{}</ul>',
        format_html_join(
            "",
            "<li><strong>{}</strong>: {}</li>",
            ((Role(role).label, role_requirement(role)) for role in ROLE_RULES),
        ),
    )


def focus_first_error(form: forms.Form) -> forms.Form:
    """Put the cursor (and, on a phone, the screen) on the first field with an error: the
    ``autofocus`` attribute does it without a script."""
    for name, field in form.fields.items():
        if name in form.errors and not field.widget.is_hidden:
            field.widget.attrs["autofocus"] = True
            break
    return form


def _role_choices(may_grant_admin: bool) -> list[tuple[str, str]]:
    return [(v, label) for v, label in Role.choices if may_grant_admin or v != Role.ADMIN]


def check_role_shape(form: forms.Form, data: dict, names: dict[str, str]) -> None:
    """A role that works in a unit needs the unit; say so there (not at the area, which then
    follows from the unit). ``names`` maps role/area/unit to the form's field names."""
    role, unit = data.get(names["role"]), data.get(names["unit"])
    if role and rule(role).unit_kinds and unit is None and names["unit"] not in form.errors:
        form.add_error(names["unit"], gettext("Choose the unit this role works in."))


class RoleAssignForm(StyledForm):
    """Grant a role over an area (department roles: in a unit)."""

    FIELDS = {"role": "role", "area": "area", "unit": "unit"}

    role = forms.ChoiceField(label=_("Role"))
    area = AreaChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, empty_label="—"
    )
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, areas, units, may_grant_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—"), *_role_choices(may_grant_admin)]
        self.fields["role"].help_text = role_requirements_html()
        self.fields["area"].queryset = areas
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        check_role_shape(self, data, self.FIELDS)
        return data


class PasswordFieldsMixin:
    """A new password typed twice; the service runs the password validators."""

    def clean(self):
        data = super().clean()
        first, second = data.get("password"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", gettext("The two passwords do not match."))
        return data


def _password_fields() -> tuple[forms.CharField, forms.CharField]:
    widget = {"autocomplete": "new-password"}
    return (
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs=widget),
            help_text=password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs=widget)
        ),
    )


class StaffCreateForm(PasswordFieldsMixin, StyledForm):
    """A new account and, optionally, its first role, saved together or not at all."""

    ROLE_FIELDS = {"role": "role", "area": "role_area", "unit": "role_unit"}

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Used to sign in: letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label="—"
    )
    password, password2 = _password_fields()
    role = forms.ChoiceField(label=_("Role"), required=False)
    role_area = AreaChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, empty_label="—"
    )
    role_unit = UnitChoiceField(
        label=_("Unit of the role"), queryset=Unit.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, areas, units, may_grant_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [("", _("No role yet")), *_role_choices(may_grant_admin)]
        self.fields["role"].help_text = role_requirements_html()
        self.fields["role_area"].queryset = areas
        self.fields["role_unit"].queryset = units

    def clean(self):
        data = super().clean()
        if not data.get("role") and (data.get("role_area") or data.get("role_unit")):
            self.add_error("role", gettext("Choose the role to grant over this area or unit."))
        check_role_shape(self, data, self.ROLE_FIELDS)
        return data

    def account_data(self) -> dict:
        """Keyword arguments for ``user_create``."""
        names = ("username", "password", "full_name", "phone", "email", "unit")
        return {name: self.cleaned_data[name] for name in names}

    def role_data(self) -> dict | None:
        """Keyword arguments for ``role_assign``, or None when no first role was chosen."""
        if not self.cleaned_data.get("role"):
            return None
        return {service: self.cleaned_data[mine] for service, mine in self.ROLE_FIELDS.items()}

    def add_role_errors(self, exc: ValidationError) -> None:
        """Put ``role_assign``'s errors at this form's role fields."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            self.add_error(self.ROLE_FIELDS.get(field), errors)


class StaffEditForm(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive account cannot sign in; its history is kept."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StaffPasswordForm(PasswordFieldsMixin, StyledForm):
    password, password2 = _password_fields()


class StaffActiveForm(StyledForm):
    """Deactivate or reactivate an account (a button on the detail page)."""

    is_active = forms.TypedChoiceField(
        choices=[("1", _("Active")), ("0", _("Inactive"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )


class ConfirmForm(StyledForm):
    """An empty form that carries a service's error back to the page (e.g. a refused removal)."""


class StaffFilterForm(StyledForm):
    """The directory's filters, from the query string (bad values are ignored, not errors)."""

    STATUSES = (("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All")))

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=STATUSES, initial="active"
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            ("", _("All roles")),
            *Role.choices,
            (NO_ROLE, _("No role")),
        ]
        self.fields["unit"].queryset = units
        self.fields["q"].widget.attrs["placeholder"] = _("Name, username or phone")
        for name, field in self.fields.items():
            field.widget.attrs["aria-label"] = field.label
            if name != "q":
                field.widget.attrs["data-autosubmit"] = ""

    def filters(self) -> dict:
        """The valid filters; the default status is "active"."""
        data = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps the fields that are valid
            data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "role": data.get("role") or "",
            "unit": data.get("unit"),
            "status": data.get("status") or "active",
        }
