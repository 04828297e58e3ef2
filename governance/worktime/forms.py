"""Forms of the calendar pages. They check input shape; the services check the rules."""

from __future__ import annotations

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.forms import StyledForm
from governance.worktime.choices import DayKind

PERIOD_ROWS = 4


class DayOverrideForm(StyledForm):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=DayKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A statutory holiday is a day off (a holiday on a Saturday or Sunday may be entered "
            "to show the whole holiday period); a make-up workday is a Saturday or Sunday "
            "worked in exchange for a day off (调休)."
        ),
    )
    name = forms.CharField(
        label=_("Name"), max_length=50, help_text=_("For example 国庆节 or 春节调休.")
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["date"].disabled = True
            self.fields["date"].help_text = _(
                "The date cannot be changed: delete the entry and add another."
            )


class WorkingHoursForm(StyledForm):
    """Up to four working periods; empty rows are left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, PERIOD_ROWS + 1):
            for part, label in (("start", _("From")), ("end", _("To"))):
                self.fields[f"{part}_{row}"] = forms.TimeField(
                    label=label,
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )
                self.fields[f"{part}_{row}"].widget.attrs["class"] = "form-control"

    def rows(self):
        """(row number, start field, end field) for the template."""
        return [(n, self[f"start_{n}"], self[f"end_{n}"]) for n in range(1, PERIOD_ROWS + 1)]

    def clean(self):
        cleaned = super().clean()
        for row in range(1, PERIOD_ROWS + 1):
            start, end = cleaned.get(f"start_{row}"), cleaned.get(f"end_{row}")
            if start is not None and end is None and f"end_{row}" not in self.errors:
                self.add_error(f"end_{row}", _("Enter the end of this period too."))
            if end is not None and start is None and f"start_{row}" not in self.errors:
                self.add_error(f"start_{row}", _("Enter the start of this period too."))
        return cleaned

    def filled(self) -> list[tuple[int, time, time]]:
        """(row number, start, end) of the rows filled in, in row order."""
        return [
            (row, self.cleaned_data[f"start_{row}"], self.cleaned_data[f"end_{row}"])
            for row in range(1, PERIOD_ROWS + 1)
            if self.cleaned_data.get(f"start_{row}") is not None
            and self.cleaned_data.get(f"end_{row}") is not None
        ]
