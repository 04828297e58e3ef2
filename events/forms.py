"""Forms of the event pages. Each transition form validates its small input and ``run``s the
one service that performs it; the state checks live in the services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from events import services
from events.choices import GIVEN_RATINGS, ClosingLevel, Rating, ResponsibleKind, Source, Urgency
from events.models import Event, ServiceCategory, ServiceItem, Task
from events.workflow import EventStatus, TaskStatus
from governance.forms import StyledForm
from grids.choices import CODE_LENGTH, AreaLevel, DepartmentType, UnitKind
from grids.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (checked as images by the service, all or none)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Photos"))
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


def photo_list(request, name: str = "photos") -> list:
    return request.FILES.getlist(name) if request is not None else []


# --- Reporting --------------------------------------------------------------------------------


def _at_coordinates(report, **kwargs):
    """Call the report service; its "location" problems show at the coordinates field."""
    try:
        return report(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "location" in exc.error_dict:
            errors = dict(exc.error_dict)
            errors["lat"] = errors.pop("location")
            raise ValidationError(errors) from exc
        raise


class ReportForm(StyledForm):
    item = forms.ModelChoiceField(
        queryset=ServiceItem.objects.none(), label=gettext_lazy("Service item")
    )
    urgency = forms.ChoiceField(
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        label=gettext_lazy("Urgency"),
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Description")
    )
    lat = forms.FloatField(label=gettext_lazy("Latitude"), min_value=-90, max_value=90)
    lng = forms.FloatField(label=gettext_lazy("Longitude"), min_value=-180, max_value=180)
    address = forms.CharField(required=False, max_length=200, label=gettext_lazy("Address"))
    source = forms.ChoiceField(
        choices=Source.choices, initial=Source.GRID_PATROL, label=gettext_lazy("Source")
    )
    contact_name = forms.CharField(
        required=False, max_length=50, label=gettext_lazy("Resident's name")
    )
    contact_phone = forms.CharField(
        required=False, max_length=20, label=gettext_lazy("Resident's mobile")
    )
    photos = PhotosField()
    on_the_spot = forms.BooleanField(
        required=False, label=gettext_lazy("Already handled on the spot (即办件)")
    )
    result = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("What was done on the spot"),
    )
    result_photos = PhotosField(label=gettext_lazy("Photos of the result"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ServiceItem.objects.filter(
            is_active=True, current__isnull=False
        ).select_related("current__category__parent")
        self.fields["lat"].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        self.fields["lng"].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel"})

    def run(self, *, actor, request):
        data = self.cleaned_data
        return _at_coordinates(
            services.event_report,
            actor=actor,
            item=data["item"],
            urgency=data["urgency"],
            description=data["description"],
            lat=data["lat"],
            lng=data["lng"],
            address=data["address"],
            source=data["source"],
            photos=photo_list(request),
            on_the_spot=data["on_the_spot"],
            result=data["result"],
            result_photos=photo_list(request, "result_photos"),
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
        )


class PublicReportForm(ReportForm):
    """A resident's report: no source, no on-the-spot handling, a mobile number required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("source", "on_the_spot", "result", "result_photos"):
            del self.fields[name]
        self.fields["contact_phone"].required = True
        self.fields["contact_phone"].label = gettext_lazy("Your mobile number")
        self.fields["contact_name"].label = gettext_lazy("Your name (optional)")

    def run(self, *, actor, request):
        data = self.cleaned_data
        return _at_coordinates(
            services.event_report,
            actor=None,
            item=data["item"],
            urgency=data["urgency"],
            description=data["description"],
            lat=data["lat"],
            lng=data["lng"],
            address=data["address"],
            source=Source.RESIDENT,
            photos=photo_list(request),
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
        )


class SupplementForm(StyledForm):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Note")
    )
    photos = PhotosField()

    def run(self, *, actor, event, request):
        return services.event_supplement(
            event=event,
            actor=actor,
            comment=self.cleaned_data["comment"],
            photos=photo_list(request),
        )


# --- Transitions ------------------------------------------------------------------------------


def candidate_units(event: Event, *, street_level: bool = False):
    """Units that may receive a task for ``event``: handling units whose jurisdiction covers
    its grid (for a split: only those at street level or below)."""
    code = event.grid.code
    prefixes = [code[:n] for n in CODE_LENGTH.values() if n <= len(code)]
    if street_level:
        prefixes = [p for p in prefixes if len(p) >= CODE_LENGTH[AreaLevel.STREET]]
    return (
        Unit.objects.filter(
            is_active=True,
            area__code__in=prefixes,
            kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNITY_STATION, UnitKind.MEDIATION_BODY],
        )
        .select_related("area")
        .order_by("kind", "department_type", "name")
    )


class TransitionForm(StyledForm):
    """Base: ``seen`` carries the status the user saw, so a race is reported as such."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    transition = ""
    danger = False

    def __init__(self, *args, event: Event, tasks=(), **kwargs):
        self.event = event
        self.tasks = list(tasks)
        super().__init__(*args, **kwargs)
        self.fields["seen"].initial = event.status

    def seen_event(self) -> Event:
        seen = self.cleaned_data.get("seen")
        if seen in EventStatus.values:
            self.event.status = seen
        return self.event

    def run(self, *, actor, request):  # pragma: no cover - every form overrides
        raise NotImplementedError


class TaskFormMixin:
    """A transition on one task of the event: the task is a hidden field."""

    task_statuses: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_task_field()

    def add_task_field(self):
        choices = [(t.pk, t.unit.name) for t in self.tasks]
        self.fields["task"] = forms.TypedChoiceField(
            choices=choices, coerce=int, label=_("Task"), widget=forms.HiddenInput
        )


class CommentForm(TransitionForm):
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Comment")
    )


class AcceptForm(CommentForm):
    transition = "accept"

    def run(self, *, actor, request):
        return services.event_accept(
            event=self.seen_event(), actor=actor, comment=self.cleaned_data["comment"]
        )


class GrabForm(TransitionForm):
    transition = "grab"

    def run(self, *, actor, request):
        return services.event_grab(event=self.seen_event(), actor=actor)


class RejectForm(TransitionForm):
    transition = "reject"
    danger = True
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Reason"))
    duplicate_of = forms.CharField(
        required=False,
        max_length=20,
        label=gettext_lazy("Duplicate of (tracking number)"),
        help_text=gettext_lazy("Leave empty for an invalid report."),
    )

    def clean_duplicate_of(self):
        number = self.cleaned_data["duplicate_of"].strip().upper()
        if not number:
            return None
        original = Event.objects.filter(number=number).first()
        if original is None:
            raise ValidationError(_("No event has the number %(number)s.") % {"number": number})
        return original

    def run(self, *, actor, request):
        data = self.cleaned_data
        return services.event_reject(
            event=self.seen_event(),
            actor=actor,
            reason=data["reason"],
            duplicate_of=data["duplicate_of"],
        )


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.area.name})"


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.area.name})"


class SplitForm(TransitionForm):
    transition = "split"
    to_unit = UnitChoice(queryset=Unit.objects.none(), label=gettext_lazy("Send to"))
    instructions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Instructions"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = candidate_units(self.event, street_level=True)
        self.fields["to_unit"].initial = self.event.suggested_unit_id

    def run(self, *, actor, request):
        data = self.cleaned_data
        return services.event_split(
            event=self.seen_event(),
            actor=actor,
            to_unit=data["to_unit"],
            instructions=data["instructions"],
        )


class JointForm(TransitionForm):
    transition = "joint"
    to_units = UnitsChoice(
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Units summoned"),
    )
    lead = UnitChoice(queryset=Unit.objects.none(), label=gettext_lazy("Lead unit"))
    instructions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Instructions"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = candidate_units(self.event)
        self.fields["to_units"].queryset = units
        self.fields["lead"].queryset = units
        self.fields["lead"].initial = self.event.suggested_unit_id

    def run(self, *, actor, request):
        data = self.cleaned_data
        return services.event_joint(
            event=self.seen_event(),
            actor=actor,
            to_units=list(data["to_units"]),
            lead=data["lead"],
            instructions=data["instructions"],
        )


class DispatchForm(JointForm):
    transition = "dispatch"
    to_units = UnitsChoice(
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Send to"),
    )
    lead = UnitChoice(
        queryset=Unit.objects.none(),
        required=False,
        label=gettext_lazy("Lead unit (when several)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.event.suggested_unit_id and not self.is_bound:
            self.fields["to_units"].initial = [self.event.suggested_unit_id]

    def run(self, *, actor, request):
        data = self.cleaned_data
        return services.event_dispatch(
            event=self.seen_event(),
            actor=actor,
            to_units=list(data["to_units"]),
            lead=data["lead"],
            instructions=data["instructions"],
        )


class ReturnForm(TransitionForm):
    transition = "return"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Reason"))

    def run(self, *, actor, request):
        return services.event_return(
            event=self.seen_event(), actor=actor, reason=self.cleaned_data["reason"]
        )


class ReassignForm(TaskFormMixin, TransitionForm):
    transition = "reassign"
    to_unit = UnitChoice(queryset=Unit.objects.none(), label=gettext_lazy("Send to"))
    instructions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Instructions"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = candidate_units(self.event)

    def run(self, *, actor, request):
        data = self.cleaned_data
        return services.event_reassign(
            event=self.seen_event(),
            actor=actor,
            task=data["task"],
            to_unit=data["to_unit"],
            instructions=data["instructions"],
        )


class SignForm(TaskFormMixin, TransitionForm):
    transition = "sign"

    def run(self, *, actor, request):
        return services.task_sign(
            event=self.seen_event(), task=self.cleaned_data["task"], actor=actor
        )


class ProgressForm(TaskFormMixin, TransitionForm):
    transition = "progress"
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Progress"))
    photos = PhotosField()

    def run(self, *, actor, request):
        return services.task_progress(
            event=self.seen_event(),
            task=self.cleaned_data["task"],
            actor=actor,
            note=self.cleaned_data["note"],
            photos=photo_list(request),
        )


class ExtensionForm(TaskFormMixin, TransitionForm):
    transition = "request_extension"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Reason"))
    new_due = forms.DateTimeField(
        label=gettext_lazy("New due date"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    def run(self, *, actor, request):
        data = self.cleaned_data
        return services.task_request_extension(
            event=self.seen_event(),
            task=data["task"],
            actor=actor,
            reason=data["reason"],
            new_due=data["new_due"],
        )


class DecideExtensionForm(TaskFormMixin, TransitionForm):
    transition = "decide_extension"
    approve = forms.TypedChoiceField(
        choices=[("1", gettext_lazy("Approve")), ("0", gettext_lazy("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=gettext_lazy("Decision"),
    )
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Comment")
    )

    def run(self, *, actor, request):
        data = self.cleaned_data
        return services.task_decide_extension(
            event=self.seen_event(),
            task=data["task"],
            actor=actor,
            approve=data["approve"],
            comment=data["comment"],
        )


class SendBackForm(TaskFormMixin, TransitionForm):
    transition = "send_back"
    danger = True
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Reason"))

    def run(self, *, actor, request):
        return services.task_send_back(
            event=self.seen_event(),
            task=self.cleaned_data["task"],
            actor=actor,
            reason=self.cleaned_data["reason"],
        )


class CompleteForm(TaskFormMixin, TransitionForm):
    transition = "complete"
    result = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=pgettext_lazy("event", "Result")
    )
    photos = PhotosField()

    def run(self, *, actor, request):
        return services.task_complete(
            event=self.seen_event(),
            task=self.cleaned_data["task"],
            actor=actor,
            result=self.cleaned_data["result"],
            photos=photo_list(request),
        )


class VerifyForm(TransitionForm):
    transition = "verify"
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Note")
    )
    photos = PhotosField()
    passed = True

    def run(self, *, actor, request):
        return services.event_verify(
            event=self.seen_event(),
            actor=actor,
            passed=self.passed,
            note=self.cleaned_data["note"],
            photos=photo_list(request),
        )


class FailVerificationForm(VerifyForm):
    transition = "fail_verification"
    danger = True
    passed = False
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("What is still wrong")
    )


class RateForm(TransitionForm):
    transition = "rate"
    rating = forms.ChoiceField(
        choices=[(r.value, r.label) for r in GIVEN_RATINGS],
        widget=forms.RadioSelect,
        label=gettext_lazy("Rating"),
    )
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Comment")
    )

    def run(self, *, actor, request, resident: bool = False):
        return services.event_rate(
            event=self.seen_event(),
            actor=actor,
            rating=self.cleaned_data["rating"],
            comment=self.cleaned_data["comment"],
            resident=resident,
        )


class CloseForm(CommentForm):
    transition = "close"

    def run(self, *, actor, request):
        return services.event_close(
            event=self.seen_event(), actor=actor, comment=self.cleaned_data["comment"]
        )


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {
    f.transition: f
    for f in (
        AcceptForm,
        GrabForm,
        RejectForm,
        SplitForm,
        JointForm,
        DispatchForm,
        ReturnForm,
        ReassignForm,
        SignForm,
        ProgressForm,
        ExtensionForm,
        DecideExtensionForm,
        SendBackForm,
        CompleteForm,
        VerifyForm,
        FailVerificationForm,
        RateForm,
        CloseForm,
    )
}
# "reopen" is the rating form with "unsatisfied": it shares the rate form.
FORM_OF = {**{name: name for name in TRANSITION_FORMS}, "reopen": "rate"}


# --- Consoles ---------------------------------------------------------------------------------


class EventFilterForm(StyledForm):
    q = forms.CharField(required=False, label=gettext_lazy("Number or text"))
    status = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("All statuses")), *EventStatus.choices],
        label=gettext_lazy("Status"),
    )
    urgency = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("All urgencies")), *Urgency.choices],
        label=gettext_lazy("Urgency"),
    )
    source = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("All sources")), *Source.choices],
        label=gettext_lazy("Source"),
    )


BULK_ACTIONS = {
    "grab": gettext_lazy("Grab"),
    "accept": gettext_lazy("Accept"),
    "close": gettext_lazy("Close"),
}


# --- Service items ------------------------------------------------------------------------------


class ServiceItemForm(StyledForm):
    code = forms.CharField(max_length=20, label=gettext_lazy("Code"))
    category = forms.ModelChoiceField(
        queryset=ServiceCategory.objects.filter(parent__isnull=False).select_related("parent"),
        label=gettext_lazy("Category"),
    )
    name = forms.CharField(max_length=60, label=gettext_lazy("Name"))
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Description"),
    )
    responsible_kind = forms.ChoiceField(
        choices=ResponsibleKind.choices, label=gettext_lazy("Responsible")
    )
    department_type = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *DepartmentType.choices],
        label=gettext_lazy("Department type"),
    )
    default_unit = forms.ModelChoiceField(
        required=False,
        queryset=Unit.objects.filter(is_active=True).select_related("area"),
        label=gettext_lazy("Default unit"),
    )
    closing_level = forms.ChoiceField(
        choices=ClosingLevel.choices, label=gettext_lazy("Closing level")
    )
    on_the_spot_allowed = forms.BooleanField(
        required=False, label=gettext_lazy("On-the-spot handling allowed")
    )
    joint_allowed = forms.BooleanField(
        required=False, label=gettext_lazy("The street may summon units jointly")
    )
    urgent_calendar_hours = forms.BooleanField(
        required=False, label=gettext_lazy("Urgent limits in calendar hours")
    )
    duplicate_radius_m = forms.IntegerField(
        min_value=10, max_value=5000, initial=100, label=gettext_lazy("Duplicate radius (m)")
    )
    is_active = forms.BooleanField(required=False, initial=True, label=gettext_lazy("Active"))
    alert_blue = forms.IntegerField(
        required=False, min_value=1, max_value=1000, label=gettext_lazy("Blue at (%)")
    )
    alert_yellow = forms.IntegerField(
        required=False, min_value=1, max_value=1000, label=gettext_lazy("Yellow at (%)")
    )
    alert_orange = forms.IntegerField(
        required=False, min_value=1, max_value=1000, label=gettext_lazy("Orange at (%)")
    )
    alert_red = forms.IntegerField(
        required=False, min_value=1, max_value=1000, label=gettext_lazy("Red at (%)")
    )
    ALERT_FIELDS = ("alert_blue", "alert_yellow", "alert_orange", "alert_red")

    def __init__(self, *args, item: ServiceItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from events.choices import Stage

        own = (item.current.alert_thresholds if item else None) or {}
        for name in self.ALERT_FIELDS:
            self.fields[name].initial = own.get(name.removeprefix("alert_"))
            self.fields[name].widget.attrs["placeholder"] = _("global")
        self.limit_fields = []
        limits = item.current.time_limits if item else None
        for urgency in Urgency:
            for stage in Stage:
                name = f"limit_{urgency.value}_{stage.value}"
                self.fields[name] = forms.IntegerField(
                    min_value=1,
                    max_value=2000,
                    label=f"{stage.label} · {urgency.label}",
                    initial=(limits or {}).get(urgency.value, {}).get(stage.value),
                )
                self.limit_fields.append(name)
        if item is not None:
            self.fields["code"].disabled = True

    def terms(self) -> dict:
        from events.choices import Stage

        data = dict(self.cleaned_data)
        limits = {
            u.value: {s.value: data.pop(f"limit_{u.value}_{s.value}") for s in Stage}
            for u in Urgency
        }
        data.pop("code", None)
        data["time_limits"] = limits
        thresholds = {name.removeprefix("alert_"): data.pop(name) for name in self.ALERT_FIELDS}
        data["alert_thresholds"] = {} if all(v is None for v in thresholds.values()) else thresholds
        return data

    def alert_fields(self):
        return [self[name] for name in self.ALERT_FIELDS]

    def limit_rows(self):
        from events.choices import Stage

        return [
            (urgency.label, [self[f"limit_{urgency.value}_{stage.value}"] for stage in Stage])
            for urgency in Urgency
        ]


class SupervisionForm(StyledForm):
    note = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Notice"),
        help_text=gettext_lazy(
            "What the units must do, and by when. They and the flow log see it."
        ),
    )


class AlertSettingsForm(StyledForm):
    """The global colour thresholds and dispatch limits (admins)."""

    blue_percent = forms.IntegerField(
        min_value=1, max_value=1000, label=gettext_lazy("Blue at (%)")
    )
    yellow_percent = forms.IntegerField(
        min_value=1, max_value=1000, label=gettext_lazy("Yellow at (%)")
    )
    orange_percent = forms.IntegerField(
        min_value=1, max_value=1000, label=gettext_lazy("Orange at (%)")
    )
    red_percent = forms.IntegerField(min_value=1, max_value=1000, label=gettext_lazy("Red at (%)"))
    dispatch_hours_normal = forms.IntegerField(
        min_value=1, max_value=200, label=gettext_lazy("Normal")
    )
    dispatch_hours_important = forms.IntegerField(
        min_value=1, max_value=200, label=gettext_lazy("Important")
    )
    dispatch_hours_urgent = forms.IntegerField(
        min_value=1, max_value=200, label=gettext_lazy("Important and urgent")
    )


class UnitHeadForm(StyledForm):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.filter(is_active=True)
        .select_related("area")
        .order_by("area__code", "kind", "name"),
        label=pgettext_lazy("event", "unit"),
    )
    user = forms.ModelChoiceField(
        queryset=None,
        label=pgettext_lazy("unit", "Head"),
        help_text=gettext_lazy("A staff account."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from governance.accounts.models import User

        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")


class ImportForm(StyledForm):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
    dry_run = forms.BooleanField(
        required=False, initial=True, label=gettext_lazy("Check only, do not save")
    )


class TrackForm(StyledForm):
    number = forms.CharField(max_length=20, label=gettext_lazy("Tracking number"))
    last4 = forms.RegexField(
        regex=r"^\d{4}$",
        label=gettext_lazy("Last four digits of your phone"),
        error_messages={"invalid": gettext_lazy("Enter four digits.")},
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


__all__ = [
    "TRANSITION_FORMS",
    "Rating",
    "Task",
    "TaskStatus",
    "timezone",
]
