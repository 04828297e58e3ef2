"""API of the event pipeline: scoped lists and details, a report endpoint, and one POST action
per transition. Each action validates a small input and calls the same service as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from events import selectors, services
from events.choices import (
    ALERT_CODES,
    GIVEN_RATINGS,
    LEVEL_OF_CODE,
    AlertLevel,
    ClockStage,
    Source,
    Urgency,
)
from events.models import Event, FlowEntry, ServiceItem, Task
from events.services.guards import Conflict
from events.workflow import TRANSITIONS, EventStatus
from governance.api import ScopedViewSetMixin
from grids.models import Unit


class ConflictError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("Someone acted on this event before you.")


# --- Output -----------------------------------------------------------------------------------

ALERT_CHOICES = [(ALERT_CODES[level], level.label) for level in AlertLevel]
CLOCK_FIELDS = ["stage", "deadline", "alert_level", "working_time_left"]


class AlertLevelField(serializers.ChoiceField):
    """The overdue colour as its code ("none", "blue", "yellow", "orange", "red")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text",
            _("The current stage's overdue colour (never the dispute risk grade)."),
        )
        super().__init__(ALERT_CHOICES, **kwargs)

    def to_representation(self, value):
        return ALERT_CODES[AlertLevel(value)]


class ClockFields(serializers.Serializer):
    """The current stage's clock: its stage, deadline, colour and working time left."""

    stage = serializers.ChoiceField(
        choices=ClockStage.choices,
        read_only=True,
        help_text=_("The stage whose clock runs; empty when none runs."),
    )
    deadline = serializers.DateTimeField(
        read_only=True, help_text=_("When the current stage is due; null when no clock runs.")
    )
    alert_level = AlertLevelField()
    working_time_left = serializers.SerializerMethodField(
        help_text=_(
            "Seconds of working time until the deadline (elapsed time for urgent items counted "
            "in calendar hours); negative once overdue, null when no clock runs."
        )
    )

    def get_working_time_left(self, row) -> int | None:
        if not row.has_clock:
            return None
        clock = self.context.get("clock")
        if clock is None:
            clock = selectors.page_clock()
            self.context["clock"] = clock
        return int(clock.time_left(row).total_seconds())


class TaskSerializer(ClockFields, serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "unit", "unit_name", "is_lead", "status", "rerouted", "instructions",
                  "result", "send_back_reason", "extended_until", "sign_started_at",
                  "handle_started_at", "finished_at", *CLOCK_FIELDS]  # fmt: skip


class FlowEntrySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="actor_unit.name", read_only=True, default="")
    photos = serializers.SerializerMethodField()

    class Meta:
        model = FlowEntry
        fields = ["id", "action", "actor", "actor_label", "actor_unit", "unit_name", "task",
                  "from_status", "to_status", "comment", "data", "created_at",
                  "photos"]  # fmt: skip

    def get_photos(self, entry) -> list[str]:
        from django.urls import reverse

        return [reverse("events:photo", args=[p.pk]) for p in entry.photos.all()]


class EventSerializer(ClockFields, serializers.ModelSerializer):
    item = serializers.CharField(source="item_version.item.code", read_only=True)
    item_name = serializers.CharField(source="item_version.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "number", "item", "item_name", "item_version", "urgency", "source",
                  "status", "owner_level", "grid", "grid_name", "address", "lat", "lng",
                  "on_the_spot", "suggested_unit", "reopen_count", "rating", "reported_at",
                  "grab_deadline", "stage_started_at", "dispatched_at", "handle_started_at",
                  "verify_started_at", "evaluate_started_at", "closed_at", "related_residents",
                  *CLOCK_FIELDS, "tasks"]  # fmt: skip


class EventDetailSerializer(EventSerializer):
    flow = FlowEntrySerializer(many=True, read_only=True)
    duplicate_of = serializers.CharField(source="duplicate_of.number", default=None)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "result", "rating_comment",
                  "duplicate_of", "flow"]  # fmt: skip


class ServiceItemSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="current.name")
    version = serializers.IntegerField(source="current.number")
    category = serializers.CharField(source="current.category.name")
    major_category = serializers.CharField(source="current.category.parent.name")
    description = serializers.CharField(source="current.description")
    responsible_kind = serializers.CharField(source="current.responsible_kind")
    department_type = serializers.CharField(source="current.department_type")
    closing_level = serializers.CharField(source="current.closing_level")
    on_the_spot_allowed = serializers.BooleanField(source="current.on_the_spot_allowed")
    joint_allowed = serializers.BooleanField(source="current.joint_allowed")
    duplicate_radius_m = serializers.IntegerField(source="current.duplicate_radius_m")
    time_limits = serializers.JSONField(source="current.time_limits")

    class Meta:
        model = ServiceItem
        fields = ["id", "code", "name", "version", "major_category", "category", "description",
                  "responsible_kind", "department_type", "closing_level", "on_the_spot_allowed",
                  "joint_allowed", "duplicate_radius_m", "time_limits", "is_active"]  # fmt: skip


class NearbySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="event.id")
    number = serializers.CharField(source="event.number")
    status = serializers.CharField(source="event.status")
    description = serializers.CharField(source="event.description")
    distance_m = serializers.FloatField()


# --- Input ------------------------------------------------------------------------------------


class PhotosInput(serializers.ListField):
    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.FileField())
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Images (JPEG, PNG or WebP), as multipart form data."))
        super().__init__(**kwargs)


class ReportInput(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=ServiceItem.objects.filter(is_active=True))
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    source = serializers.ChoiceField(choices=Source.choices, default=Source.GRID_PATROL)
    description = serializers.CharField()
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="")
    on_the_spot = serializers.BooleanField(default=False)
    result = serializers.CharField(required=False, allow_blank=True, default="")
    related_residents = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text=_("Ids of residents the event concerns (from the residents registry)."),
    )
    photos = PhotosInput()
    result_photos = PhotosInput()


class NearbyInput(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=ServiceItem.objects.all())
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


def _units():
    return Unit.objects.filter(is_active=True).select_related("area")


class CommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EmptyInput(serializers.Serializer):
    pass


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class RejectInput(ReasonInput):
    duplicate_of = serializers.SlugRelatedField(
        slug_field="number", queryset=Event.objects.all(), required=False, allow_null=True,
        help_text=_("Tracking number of the original, when this is a duplicate."),
    )  # fmt: skip


class SplitInput(serializers.Serializer):
    to_unit = serializers.PrimaryKeyRelatedField(queryset=_units())
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class UnitsInput(serializers.Serializer):
    to_units = serializers.PrimaryKeyRelatedField(queryset=_units(), many=True)
    lead = serializers.PrimaryKeyRelatedField(queryset=_units(), required=False, allow_null=True)
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class TaskInput(serializers.Serializer):
    task = serializers.IntegerField(help_text=_("The task's id (see the event's tasks)."))


class ReassignInput(TaskInput, SplitInput):
    pass


class NoteInput(TaskInput):
    note = serializers.CharField()
    photos = PhotosInput()


class ExtensionInput(TaskInput):
    reason = serializers.CharField()
    new_due = serializers.DateTimeField()


class DecisionInput(TaskInput):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TaskReasonInput(TaskInput):
    reason = serializers.CharField()


class ResultInput(TaskInput):
    result = serializers.CharField()
    photos = PhotosInput()


class VerifyInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photos = PhotosInput()


class RateInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=[(r.value, r.label) for r in GIVEN_RATINGS])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# (input serializer, service call) per transition: the call gets (event, actor, data).
RUNNERS = {
    "accept": (CommentInput, lambda e, a, d: services.event_accept(event=e, actor=a, **d)),
    "reject": (RejectInput, lambda e, a, d: services.event_reject(event=e, actor=a, **d)),
    "grab": (EmptyInput, lambda e, a, d: services.event_grab(event=e, actor=a)),
    "split": (SplitInput, lambda e, a, d: services.event_split(event=e, actor=a, **d)),
    "joint": (UnitsInput, lambda e, a, d: services.event_joint(event=e, actor=a, **d)),
    "dispatch": (UnitsInput, lambda e, a, d: services.event_dispatch(event=e, actor=a, **d)),
    "return": (ReasonInput, lambda e, a, d: services.event_return(event=e, actor=a, **d)),
    "reassign": (ReassignInput, lambda e, a, d: services.event_reassign(event=e, actor=a, **d)),
    "sign": (TaskInput, lambda e, a, d: services.task_sign(event=e, actor=a, **d)),
    "progress": (NoteInput, lambda e, a, d: services.task_progress(event=e, actor=a, **d)),
    "request_extension": (
        ExtensionInput, lambda e, a, d: services.task_request_extension(event=e, actor=a, **d)
    ),
    "decide_extension": (
        DecisionInput, lambda e, a, d: services.task_decide_extension(event=e, actor=a, **d)
    ),
    "send_back": (TaskReasonInput, lambda e, a, d: services.task_send_back(event=e, actor=a,
                                                                            **d)),
    "complete": (ResultInput, lambda e, a, d: services.task_complete(event=e, actor=a, **d)),
    "verify": (VerifyInput, lambda e, a, d: services.event_verify(event=e, actor=a, passed=True,
                                                                   **d)),
    "fail_verification": (
        VerifyInput, lambda e, a, d: services.event_verify(event=e, actor=a, passed=False, **d)
    ),
    "rate": (RateInput, lambda e, a, d: services.event_rate(event=e, actor=a, **d)),
    "close": (CommentInput, lambda e, a, d: services.event_close(event=e, actor=a, **d)),
}  # fmt: skip


@extend_schema_field(
    {
        "type": "string",
        "enum": [code for code, _label in ALERT_CHOICES],
        "description": "none, blue, yellow, orange or red",
    }
)
class AlertLevelFilter(filters.ChoiceFilter):
    """The colour by its code (the column holds a number)."""


class EventFilter(filters.FilterSet):
    number = filters.CharFilter(lookup_expr="iexact")
    item = filters.CharFilter(field_name="item_version__item__code")
    grid_code = filters.CharFilter(field_name="grid__code", lookup_expr="startswith")
    reported_after = filters.IsoDateTimeFilter(field_name="reported_at", lookup_expr="gte")
    reported_before = filters.IsoDateTimeFilter(field_name="reported_at", lookup_expr="lt")
    open = filters.BooleanFilter(method="filter_open")
    alert_level = AlertLevelFilter(
        choices=ALERT_CHOICES, method="filter_alert_level", label=_("Overdue colour")
    )
    ordering = filters.OrderingFilter(
        fields=(("alert_level", "alert_level"), ("deadline", "deadline"),
                ("reported_at", "reported_at")),
        help_text=_("alert_level, deadline or reported_at; a leading minus reverses."),
    )  # fmt: skip

    class Meta:
        model = Event
        fields = ["status", "urgency", "source", "grid", "owner_level", "rating"]

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.filter(status__in=["closed", "rejected"])

    def filter_alert_level(self, queryset, name, value):
        return queryset.filter(alert_level=LEVEL_OF_CODE[value])


def _transition_action(name: str):
    input_class, runner = RUNNERS[name]
    url_path = name.replace("_", "-")

    def perform(self, request, pk=None):
        event = self.get_object()
        serializer = input_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            runner(event, request.user, data)
        except Conflict as exc:
            raise ConflictError(" ".join(exc.messages)) from exc
        fresh = self.get_queryset().get(pk=event.pk)
        return Response(EventDetailSerializer(fresh, context=self.get_serializer_context()).data)

    perform.__name__ = f"{name}_event"
    perform.__doc__ = str(TRANSITIONS[name].label)
    decorated = extend_schema(
        request=input_class,
        responses={200: EventDetailSerializer},
        summary=str(TRANSITIONS[name].label),
        description=_("Transition “%(name)s” of the event workflow (events/workflow.py).")
        % {"name": name},
    )(perform)
    return action(detail=True, methods=["post"], url_path=url_path, url_name=url_path)(decorated)


class EventViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Events the caller may see; each transition is a POST action on the event."""

    queryset = Event.objects.all()
    filterset_class = EventFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_permissions = {
        **{f"{name}_event": "change" for name in RUNNERS},
        "rate_event": "view",
        "create": "add",
        "nearby": "add",
    }

    def get_queryset(self):
        queryset = (
            super().get_queryset().select_related("item_version__item", "grid", "duplicate_of")
        )
        if self.action == "list":
            # Tasks come prefetched with their units.
            return selectors.console_rows(queryset).prefetch_related("related_residents")
        tasks = Prefetch("tasks", queryset=Task.objects.select_related("unit"))
        flow = Prefetch(
            "flow", queryset=FlowEntry.objects.select_related("actor_unit").prefetch_related(
                "photos")
        )  # fmt: skip
        return queryset.prefetch_related(tasks, flow, "related_residents")

    def get_serializer_class(self):
        return EventDetailSerializer if self.action != "list" else EventSerializer

    def get_serializer_context(self):
        # One working calendar for every row of the response (see ClockFields).
        return {**super().get_serializer_context(), "clock": selectors.page_clock()}

    @extend_schema(request=ReportInput, responses={201: EventDetailSerializer})
    def create(self, request):
        """Report an event (photos as multipart form data)."""
        serializer = ReportInput(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["photos"] = request.FILES.getlist("photos") if request.FILES else []
        data["result_photos"] = request.FILES.getlist("result_photos") if request.FILES else []
        event = services.event_report(actor=request.user, **data)
        fresh = self.get_queryset().get(pk=event.pk)
        return Response(
            EventDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("item", int, required=True, description=_("Service item id")),
            OpenApiParameter("lat", float, required=True, description=_("Latitude (WGS84)")),
            OpenApiParameter("lng", float, required=True, description=_("Longitude (WGS84)")),
        ],
        responses=NearbySerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def nearby(self, request):
        """Open events of the same item within its duplicate radius, nearest first."""
        serializer = NearbyInput(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        found = services.nearby_open_events(**serializer.validated_data)
        visible = set(self.get_queryset().filter(pk__in=[n.event.pk for n in found])
                      .values_list("pk", flat=True))  # fmt: skip
        rows = [n for n in found if n.event.pk in visible]
        return Response(NearbySerializer(rows, many=True).data)


# One POST action per transition, named <transition>_event ("dispatch" would replace the
# view's own dispatch method, "return" is a keyword); the URL is the transition's name.
for _name in RUNNERS:
    setattr(EventViewSet, f"{_name}_event", _transition_action(_name))


class ServiceItemFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q")
    category = filters.NumberFilter(field_name="current__category")

    class Meta:
        model = ServiceItem
        fields = ["is_active"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(code__icontains=value) | Q(current__name__icontains=value))


class ServiceItemViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The service-item catalogue with each item's current terms."""

    queryset = ServiceItem.objects.select_related("current__category__parent").order_by("code")
    serializer_class = ServiceItemSerializer
    filterset_class = ServiceItemFilter


__all__ = ["EventStatus", "EventViewSet", "ServiceItemViewSet"]
