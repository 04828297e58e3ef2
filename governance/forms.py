"""Form helpers shared by every app."""

from django import forms
from django.utils.translation import gettext_noop

# Django 6.1's label for an empty choice ("- Select an option -", django.db.models.fields.
# BLANK_CHOICE_LABEL) has no zh-hans translation in Django's own catalogue yet: marked here so
# that the project catalogue, which Django reads first, carries it for every select.
gettext_noop("- Select an option -")


class StyledFormMixin:
    """Give widgets Bootstrap classes, and mark fields with errors (from validation or from a
    service, see ``governance.web.call_service``) as invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = ""
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass
