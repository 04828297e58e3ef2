"""The event pipeline's data: the service-item catalogue (versioned), events, their tasks per
unit, the immutable flow log, photos, extension requests and the tracking-number counter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.choices import (
    ALERT_CODES,
    AlertLevel,
    ClockStage,
    ClosingLevel,
    ExtensionStatus,
    OwnerLevel,
    PhotoKind,
    Rating,
    ResponsibleKind,
    Source,
    Stage,
    Urgency,
)
from events.workflow import TERMINAL, EventStatus, TaskStatus
from governance.scoping import RestrictedQuerySet, Scope, ScopedModel
from grids.choices import DepartmentType

# --- Service items ---------------------------------------------------------------------------


class ServiceCategory(models.Model):
    """A major category (no parent) or a minor one under a major category."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("major category"),
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=50)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class ServiceItemQuerySet(RestrictedQuerySet):
    pass


class ServiceItem(ScopedModel, models.Model):
    """A service item's identity: its code and its current terms (``current``, a version).

    The catalogue is the same everywhere: anyone whose role may view items sees all of them.
    """

    scope_area_field = ""

    code = models.CharField(_("code"), max_length=20, unique=True)
    current = models.OneToOneField(
        "ServiceItemVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.current.name}" if self.current_id else self.code

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return Q(pk__isnull=False) if scope else Q(pk__in=[])  # Q() would vanish in an OR

    def scope_codes(self) -> list[str]:
        return [""]  # covered by any scope that is not empty (Scope.covers needs a code)


def default_time_limits() -> dict:
    """Working hours per stage and urgency (a working day is 7 hours by default)."""
    return {
        Urgency.NORMAL: {Stage.SIGN: 4, Stage.HANDLE: 35, Stage.VERIFY: 7},
        Urgency.IMPORTANT: {Stage.SIGN: 2, Stage.HANDLE: 21, Stage.VERIFY: 7},
        Urgency.URGENT: {Stage.SIGN: 1, Stage.HANDLE: 7, Stage.VERIFY: 4},
    }


class ServiceItemVersion(models.Model):
    """The terms of a service item from one edit to the next. Never changed once written:
    an edit writes a new version, and events keep the version they were filed under."""

    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="versions", verbose_name=_("item")
    )
    number = models.PositiveIntegerField(_("version"))
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        related_name="item_versions",
        verbose_name=_("category"),
        limit_choices_to={"parent__isnull": False},
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    responsible_kind = models.CharField(
        _("responsible unit kind"), max_length=20, choices=ResponsibleKind.choices
    )
    department_type = models.CharField(
        _("department type"), max_length=20, choices=DepartmentType.choices, blank=True
    )
    default_unit = models.ForeignKey(
        "grids.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default unit"),
    )
    # {urgency: {stage: working hours}}; checked by events.services.items.clean_time_limits.
    time_limits = models.JSONField(_("time limits"), default=default_time_limits)
    urgent_calendar_hours = models.BooleanField(
        _("urgent limits in calendar hours"),
        default=False,
        help_text=_("For urgent events, count the limits in calendar hours, not working hours."),
    )
    # {"blue": 50, "yellow": 75, "orange": 100, "red": 150}: percentages of a stage's time
    # limit at which its colours start, for this item; empty: the global alert settings.
    alert_thresholds = models.JSONField(_("alert thresholds"), default=dict, blank=True)
    closing_level = models.CharField(
        _("closing level"), max_length=10, choices=ClosingLevel.choices
    )
    on_the_spot_allowed = models.BooleanField(_("on-the-spot handling allowed"), default=False)
    joint_allowed = models.BooleanField(_("joint summons allowed"), default=False)
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (m)"),
        default=100,
        help_text=_("Open events of this item within this distance are offered as duplicates."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service item version")
        verbose_name_plural = _("service item versions")
        ordering = ["item__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="service_item_version_unique"),
            models.CheckConstraint(
                name="service_item_department_type_for_departments",
                condition=~Q(responsible_kind=ResponsibleKind.DEPARTMENT) | ~Q(department_type=""),
            ),
            models.CheckConstraint(
                name="service_item_default_unit_when_named",
                condition=~Q(responsible_kind=ResponsibleKind.DEFAULT_UNIT)
                | Q(default_unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.name} (v{self.number})"

    def limit_hours(self, urgency: str, stage: str) -> int | None:
        return (self.time_limits.get(urgency) or {}).get(stage)


# --- Stage clocks (issue 5) -------------------------------------------------------------------


class Clock(models.Model):
    """The current stage's clock, kept in columns so the periodic sweep compares them with now.

    ``events.services.clocks`` fills them when a stage starts (or an extension is approved);
    ``events.services.alerts.sweep_alerts`` raises ``alert_level`` as the thresholds pass.
    ``next_alert_at`` is the threshold the row waits for next: the sweep finds the rows due
    for a raise through a partial index on it. ``stage_seq`` counts the rounds of stages, so
    an alert is recorded once per (row, round, level) and a new round can alert again.
    """

    stage = models.CharField(
        _("clocked stage"), max_length=10, choices=ClockStage.choices, blank=True, default=""
    )
    stage_seq = models.PositiveIntegerField(_("stage round"), default=0)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    blue_at = models.DateTimeField(_("blue from"), null=True, blank=True)
    yellow_at = models.DateTimeField(_("yellow from"), null=True, blank=True)
    orange_at = models.DateTimeField(_("orange from"), null=True, blank=True)
    red_at = models.DateTimeField(_("red from"), null=True, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True, editable=False)
    alert_level = models.PositiveSmallIntegerField(
        _("overdue alert"), choices=AlertLevel.choices, default=AlertLevel.NONE
    )
    # The clock counts elapsed hours (an urgent event of an item counted in calendar hours).
    calendar_hours = models.BooleanField(_("counted in calendar hours"), default=False)

    class Meta:
        abstract = True

    @property
    def alert_code(self) -> str:
        return ALERT_CODES[AlertLevel(self.alert_level)]

    @property
    def has_clock(self) -> bool:
        return bool(self.stage) and self.deadline is not None


# --- Events ----------------------------------------------------------------------------------


class EventQuerySet(RestrictedQuerySet):
    def open(self):
        return self.exclude(status__in=TERMINAL)

    def for_lists(self):
        return self.select_related(
            "item_version__category", "grid__parent", "reporter", "suggested_unit"
        )


class Event(ScopedModel, Clock):
    """One problem in the territory, from its report to its closing."""

    scope_area_field = "grid"

    number = models.CharField(_("tracking number"), max_length=20, unique=True)
    item_version = models.ForeignKey(
        ServiceItemVersion,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("service item"),
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    description = models.TextField(_("description"))
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    grid = models.ForeignKey(
        "grids.Area", on_delete=models.PROTECT, related_name="events", verbose_name=_("grid")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    related_residents = models.ManyToManyField(
        "residents.Resident",
        blank=True,
        related_name="events",
        verbose_name=_("related residents"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_events",
        verbose_name=_("reporter"),
    )
    reporter_unit = models.ForeignKey(
        "grids.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A resident's contact: the name as given, and the phone only as keyed hashes (personal
    # data: the public page checks "last four digits" against phone_last4_hash; staff can match
    # a caller's full number against phone_hmac, nobody can read the number back).
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    phone_hmac = models.CharField(max_length=64, blank=True, db_index=True)
    phone_last4_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.REPORTED
    )
    owner_level = models.CharField(
        _("held by"), max_length=10, choices=OwnerLevel.choices, default=OwnerLevel.STREET
    )
    on_the_spot = models.BooleanField(_("handled on the spot"), default=False)
    suggested_unit = models.ForeignKey(
        "grids.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested unit"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    result = models.TextField(_("handling result"), blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0)
    # When each stage started; the current stage's deadline and colour are the Clock columns.
    reported_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    grab_deadline = models.DateTimeField(_("grab window ends"))
    stage_started_at = models.DateTimeField(_("current stage started"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    handle_started_at = models.DateTimeField(_("handling started"), null=True, blank=True)
    verify_started_at = models.DateTimeField(_("verification started"), null=True, blank=True)
    evaluate_started_at = models.DateTimeField(_("evaluation started"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-reported_at", "-id"]
        permissions = [("supervise_event", _("Can issue supervision notices"))]
        indexes = [
            # The duplicate search: a bounding box on latitude, then longitude.
            models.Index(fields=["lat", "lng"], name="event_lat_lng"),
            models.Index(
                fields=["status", "reported_at"],
                name="event_open_status",
                condition=~Q(status__in=[EventStatus.CLOSED, EventStatus.REJECTED]),
            ),
            # The alert sweep: open events whose next threshold is set (closed ones never are).
            models.Index(
                fields=["next_alert_at"],
                name="event_alert_due",
                condition=Q(next_alert_at__isnull=False)
                & ~Q(status__in=[EventStatus.CLOSED, EventStatus.REJECTED]),
            ),
            # The supervision list and the colour filters: events showing a colour.
            models.Index(
                fields=["alert_level", "deadline"],
                name="event_alerting",
                condition=Q(alert_level__gt=0),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="event_lat_lng_in_range",
                condition=Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
            ),
            models.CheckConstraint(
                name="event_not_duplicate_of_itself", condition=~Q(duplicate_of=models.F("pk"))
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL

    @property
    def item(self) -> ServiceItem:
        return self.item_version.item

    def owner_at(self, now) -> str:
        """The dispatch level holding the event at ``now`` (the grab window passes to the
        district without a write)."""
        if self.status == EventStatus.REPORTED and now >= self.grab_deadline:
            return OwnerLevel.DISTRICT
        return self.owner_level


class Task(Clock):
    """The part of an event one unit must handle; joint handling gives an event several."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("event")
    )
    unit = models.ForeignKey(
        "grids.Unit",
        on_delete=models.PROTECT,
        related_name="event_tasks",
        verbose_name=pgettext_lazy("event", "unit"),
    )
    is_lead = models.BooleanField(_("lead unit"), default=False)
    status = models.CharField(
        _("status"), max_length=14, choices=TaskStatus.choices, default=TaskStatus.AWAITING_SIGN
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    instructions = models.TextField(_("instructions"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.TextField(pgettext_lazy("event", "result"), blank=True)
    send_back_reason = models.TextField(_("reason for sending back"), blank=True)
    rerouted = models.BooleanField(_("re-routed"), default=False)
    extended_until = models.DateTimeField(_("extended until"), null=True, blank=True)
    # When each stage started; the current stage's deadline and colour are the Clock columns.
    sign_started_at = models.DateTimeField(_("sent"), default=timezone.now)
    handle_started_at = models.DateTimeField(_("signed for"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    stage_started_at = models.DateTimeField(_("current stage started"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-is_lead", "id"]
        indexes = [
            models.Index(
                fields=["unit", "status"],
                name="task_open_by_unit",
                condition=Q(status__in=[TaskStatus.AWAITING_SIGN, TaskStatus.IN_PROGRESS]),
            ),
            # The alert sweep: open tasks whose next threshold is set.
            models.Index(
                fields=["next_alert_at"],
                name="task_alert_due",
                condition=Q(next_alert_at__isnull=False)
                & Q(status__in=[TaskStatus.AWAITING_SIGN, TaskStatus.IN_PROGRESS]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(is_lead=True)
                & Q(status__in=[TaskStatus.AWAITING_SIGN, TaskStatus.IN_PROGRESS, TaskStatus.DONE]),
                name="task_one_live_lead_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.number} · {self.unit.name}"


class ExtensionRequest(models.Model):
    """A unit's request for more time on a task, decided by the event's dispatcher."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("task")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    new_due = models.DateTimeField(_("new due date"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_comment = models.TextField(_("decision comment"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status=ExtensionStatus.PENDING),
                name="extension_one_pending_per_task",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.new_due:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class FlowEntry(models.Model):
    """One step of an event's flow log (流转记录): who, which unit, when, what. Immutable."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="flow", verbose_name=_("event")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="flow"
    )
    action = models.CharField(_("action"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=60, blank=True)
    actor_unit = models.ForeignKey(
        "grids.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(pgettext_lazy("status", "from"), max_length=12, blank=True)
    to_status = models.CharField(pgettext_lazy("status", "to"), max_length=12, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("flow log entry")
        verbose_name_plural = _("flow log entries")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("flow log entries are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("flow log entries are immutable")


def photo_path(instance: EventPhoto, filename: str) -> str:
    return f"events/{timezone.localdate():%Y/%m}/{filename}"


class EventPhoto(models.Model):
    """A checked image attached to an event at a step of its flow."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    entry = models.ForeignKey(
        FlowEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PhotoKind.choices)
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file.name


class DailyCounter(models.Model):
    """The last tracking number handed out on a local date (locked while incremented)."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tracking number counter")

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


# --- Overdue alerts and supervision (issue 5) -------------------------------------------------


class AlertSettings(models.Model):
    """The global alert thresholds and the dispatch time limits (one row, kept by admins).

    Percentages of a stage's time limit at which its colours start; a service item may override
    them (``ServiceItemVersion.alert_thresholds``). A change applies to stages that start after
    it: running clocks keep the thresholds they started with.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    blue_percent = models.PositiveSmallIntegerField(_("blue at (%)"), default=50)
    yellow_percent = models.PositiveSmallIntegerField(_("yellow at (%)"), default=75)
    orange_percent = models.PositiveSmallIntegerField(_("orange at (%)"), default=100)
    red_percent = models.PositiveSmallIntegerField(_("red at (%)"), default=150)
    # Working hours a dispatch centre has to route an event (service items set the others).
    dispatch_hours_normal = models.PositiveSmallIntegerField(
        _("dispatch limit, normal (working hours)"), default=4
    )
    dispatch_hours_important = models.PositiveSmallIntegerField(
        _("dispatch limit, important (working hours)"), default=2
    )
    dispatch_hours_urgent = models.PositiveSmallIntegerField(
        _("dispatch limit, important and urgent (working hours)"), default=1
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("alert settings")
        verbose_name_plural = _("alert settings")
        constraints = [
            models.CheckConstraint(name="alert_settings_one_row", condition=Q(id=1)),
            models.CheckConstraint(
                name="alert_settings_colours_in_order",
                condition=Q(blue_percent__gte=1)
                & Q(yellow_percent__gt=models.F("blue_percent"))
                & Q(orange_percent__gt=models.F("yellow_percent"))
                & Q(red_percent__gt=models.F("orange_percent")),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.blue_percent}% / {self.yellow_percent}% / {self.orange_percent}% / "
            f"{self.red_percent}%"
        )


class UnitHead(models.Model):
    """The head (负责人) of a unit: the yellow alert on the unit's work reaches them.

    A unit without a designated head passes its yellow alerts to its own staff instead.
    """

    unit = models.ForeignKey(
        "grids.Unit", on_delete=models.CASCADE, related_name="heads", verbose_name=_("unit")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="headed_units",
        verbose_name=pgettext_lazy("unit", "head"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit head")
        verbose_name_plural = _("unit heads")
        ordering = ["unit__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="unit_head_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.user}"


class Alert(models.Model):
    """A colour reached by one round of a stage on an event or a task: recorded once, by the
    sweep, and notified once, by the notifier that claims it.

    The unique constraints are what make the sweep idempotent: a second sweep (or a second
    beat by mistake) inserts nothing. ``notified_at`` is set in the transaction that writes the
    notifications, so a crash loses nothing and a retry sends nothing twice.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("event")
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("task"),
    )
    unit = models.ForeignKey(
        "grids.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("event", "unit"),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ClockStage.choices)
    stage_seq = models.PositiveIntegerField(_("stage round"))
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("alert", "level"), choices=AlertLevel.choices
    )
    threshold_at = models.DateTimeField(_("threshold"))
    deadline = models.DateTimeField(_("deadline"))
    raised_at = models.DateTimeField(_("raised"), db_index=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("overdue alert")
        verbose_name_plural = _("overdue alerts")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "stage_seq", "level"],
                condition=Q(task__isnull=False),
                name="alert_once_per_task_round_level",
            ),
            models.UniqueConstraint(
                fields=["event", "stage_seq", "level"],
                condition=Q(task__isnull=True),
                name="alert_once_per_event_round_level",
            ),
            models.CheckConstraint(
                name="alert_level_raised", condition=Q(level__gte=1, level__lte=4)
            ),
        ]
        indexes = [
            # What the notifier claims: alerts not yet notified.
            models.Index(
                fields=["id"], name="alert_to_notify", condition=Q(notified_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.get_stage_display()} {self.get_level_display()}"

    @property
    def alert_code(self) -> str:
        return ALERT_CODES[AlertLevel(self.level)]


class Supervision(models.Model):
    """A supervision notice (督办) on an event: who pressed whom, when, with what words.

    ``units`` are the units holding the event when the notice was issued; the monthly
    assessment counts the events supervised per unit from them.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("event")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, db_index=True)
    note = models.TextField(_("notice"))
    alert_level = models.PositiveSmallIntegerField(
        _("overdue alert when issued"), choices=AlertLevel.choices, default=AlertLevel.NONE
    )
    units = models.ManyToManyField(
        "grids.Unit", related_name="supervisions", blank=True, verbose_name=_("units pressed")
    )

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.issued_at:%Y-%m-%d %H:%M}"
