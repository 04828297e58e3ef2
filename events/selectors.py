"""Reads of the event pipeline: consoles, inboxes, the event page. All start from restrict()."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.choices import (
    ALERT_CODES,
    LEVEL_OF_CODE,
    RAISED_LEVELS,
    URGENCY_RANK,
    AlertLevel,
    ClockStage,
    ExtensionStatus,
    OwnerLevel,
)
from events.clocks import time_left
from events.models import (
    Alert,
    Event,
    ExtensionRequest,
    FlowEntry,
    ServiceItem,
    Supervision,
    Task,
)
from events.workflow import TASK_OPEN, EventStatus, TaskStatus
from governance.accounts.roles import Role
from governance.scoping import user_scope
from governance.worktime.calendar import working_calendar
from grids.choices import CODE_LENGTH, AreaLevel, UnitKind
from grids.models import Unit

S = EventStatus

URGENCY_ORDER = Case(
    *[When(urgency=value, then=Value(rank)) for value, rank in URGENCY_RANK.items()],
    default=Value(0),
    output_field=IntegerField(),
)


def visible_events(user):
    return Event.objects.restrict(user, "view")


def console_rows(queryset):
    """Most urgent first, then newest; with what a row shows, in a fixed number of queries."""
    return (
        queryset.for_lists()
        .annotate(urgency_rank=URGENCY_ORDER)
        .order_by("-urgency_rank", "-reported_at", "-id")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("unit").order_by("-is_lead"))
        )
    )


@dataclass
class Tab:
    """One tab of a console: the rows of ``base`` matching ``condition``."""

    key: str
    label: str
    base: object
    condition: Q
    count: int = 0

    @property
    def queryset(self):
        return self.base.filter(self.condition)


def _pending_extension() -> Q:
    waiting = ExtensionRequest.objects.filter(
        task__event=OuterRef("pk"), status=ExtensionStatus.PENDING
    )
    return Q(Exists(waiting))


def street_console_tabs(user, now=None) -> list[Tab]:
    """The street dispatcher's console: what the street must act on."""
    now = now or timezone.now()
    mine = visible_events(user).filter(_under(_assignment_codes(user, Role.STREET_DISPATCHER)))
    held = Q(owner_level=OwnerLevel.STREET)
    return _counted(mine, [
        Tab("grab", _("To grab"), mine, Q(status=S.REPORTED, grab_deadline__gt=now)),
        Tab("pending", _("Resident reports"), mine, Q(status=S.PENDING)),
        Tab("route", _("To route"), mine, held & Q(status__in=[S.GRABBED, S.SENT_BACK])),
        Tab("handling", _("With units"), mine,
            held & Q(status__in=[S.DISPATCHED, S.IN_PROGRESS])),
        Tab("extensions", _("Extension requests"), mine, held & _pending_extension()),
        Tab("verify", _("Awaiting verification"), mine, Q(status=S.HANDLED)),
        Tab("close", _("To close"), mine, held & Q(status=S.VERIFIED)),
        Tab("all", _("All open"), mine, ~Q(status__in=[S.CLOSED, S.REJECTED])),
    ])  # fmt: skip


def district_console_tabs(user, now=None) -> list[Tab]:
    """The district dispatcher's console: what no street grabbed, returned cases, its own."""
    now = now or timezone.now()
    mine = visible_events(user).filter(_under(_assignment_codes(user, Role.DISTRICT_DISPATCHER)))
    held = Q(owner_level=OwnerLevel.DISTRICT)
    return _counted(mine, [
        Tab("dispatch", _("Not grabbed in time"), mine,
            Q(status=S.REPORTED, grab_deadline__lte=now)),
        Tab("returned", _("Returned by streets"), mine, Q(status=S.RETURNED)),
        Tab("route", _("Sent back"), mine, held & Q(status=S.SENT_BACK)),
        Tab("handling", _("With units"), mine,
            held & Q(status__in=[S.DISPATCHED, S.IN_PROGRESS])),
        Tab("extensions", _("Extension requests"), mine, held & _pending_extension()),
        Tab("close", _("To close"), mine, held & Q(status=S.VERIFIED)),
        Tab("grab_window", _("In a street's grab window"), mine,
            Q(status=S.REPORTED, grab_deadline__gt=now)),
    ])  # fmt: skip


def _counted(base, tabs: list[Tab]) -> list[Tab]:
    """Count every tab in one query (a filtered COUNT per tab over the shared base)."""
    counts = base.aggregate(**{tab.key: Count("pk", filter=tab.condition) for tab in tabs})
    for tab in tabs:
        tab.count = counts[tab.key] or 0
    return tabs


def _assignment_codes(user, role: str) -> list[str]:
    return [a.area.code for a in user.loaded_role_assignments() if a.role == role and a.area_id]


def _under(codes: list[str]) -> Q:
    if not codes:
        return Q(pk__in=[])
    q = Q()
    for code in codes:
        q |= Q(grid__code__startswith=code)
    return q


# --- Department inbox ---------------------------------------------------------------------------


def my_unit_ids(user) -> list[int]:
    """The units the user works in: their role units, community stations they staff."""
    ids = {a.unit_id for a in user.loaded_role_assignments() if a.unit_id}
    community_areas = [
        a.area_id
        for a in user.loaded_role_assignments()
        if a.role == Role.COMMUNITY_STAFF and a.area_id
    ]
    if community_areas:
        ids |= set(
            Unit.objects.filter(
                kind=UnitKind.COMMUNITY_STATION, area_id__in=community_areas
            ).values_list("pk", flat=True)
        )
    return sorted(ids)


def inbox_tabs(user) -> list[Tab]:
    """Tasks of the user's units whose events the user may see."""
    units = my_unit_ids(user)
    visible = visible_events(user).values("pk")
    plain = Task.objects.filter(unit_id__in=units, event_id__in=visible)
    tasks = (
        plain.select_related("unit", "event__item_version", "event__grid")
        .annotate(
            urgency_rank=Case(
                *[When(event__urgency=v, then=Value(r)) for v, r in URGENCY_RANK.items()],
                default=Value(0),
                output_field=IntegerField(),
            ),
            pending_extensions=Count(
                "extensions", filter=Q(extensions__status=ExtensionStatus.PENDING)
            ),
        )
        .order_by("-urgency_rank", "-sign_started_at", "-id")
    )
    return _counted(plain, [
        Tab("sign", _("To sign for"), tasks, Q(status=TaskStatus.AWAITING_SIGN)),
        Tab("progress", _("In progress"), tasks, Q(status=TaskStatus.IN_PROGRESS)),
        Tab("done", _("Done"), tasks, Q(status=TaskStatus.DONE)),
        Tab("sent_back", _("Sent back"), tasks, Q(status=TaskStatus.SENT_BACK)),
    ])  # fmt: skip


# --- Grid worker --------------------------------------------------------------------------------


def worker_tabs(user) -> list[Tab]:
    """A grid worker's phone page: what to verify on site, what to rate, what they filed."""
    grids = _assignment_codes(user, Role.GRID_WORKER)
    visible = visible_events(user)
    return _counted(visible, [
        Tab("verify", _("To verify on site"), visible, _under(grids) & Q(status=S.HANDLED)),
        Tab("rate", _("To rate"), visible, Q(reporter=user, status=S.VERIFIED, rating="")),
        Tab("mine", _("My reports"), visible, Q(reporter=user)),
    ])  # fmt: skip


def recent_items(user, limit: int = 6) -> list[ServiceItem]:
    """The service items the user reported under most recently (the report form lists them
    first)."""
    ids = []
    rows = (
        Event.objects.filter(reporter=user)
        .order_by("-reported_at")
        .values_list("item_version__item_id", flat=True)[:50]
    )
    for item_id in rows:
        if item_id not in ids:
            ids.append(item_id)
        if len(ids) >= limit:
            break
    items = ServiceItem.objects.filter(pk__in=ids, is_active=True).select_related("current")
    by_id = {i.pk: i for i in items}
    return [by_id[i] for i in ids if i in by_id]


# --- Event page ---------------------------------------------------------------------------------


def event_page(event: Event) -> dict:
    """What the event page shows besides the event: tasks, the flow log with its photos."""
    tasks = list(
        event.tasks.select_related("unit", "signed_by").prefetch_related(
            Prefetch(
                "extensions",
                queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by"),
            )
        )
    )
    flow = list(
        FlowEntry.objects.filter(event=event)
        .select_related("actor_unit", "task__unit")
        .prefetch_related("photos")
    )
    return {
        "tasks": tasks,
        "open_tasks": [t for t in tasks if t.status in TASK_OPEN],
        "flow": flow,
        "photos": [p for entry in flow for p in entry.photos.all()],
        "duplicates": list(event.duplicates.only("pk", "number")),
    }


def related_residents(event: Event, user) -> list:
    """The residents the event concerns that ``user`` may see (masked fields only)."""
    from residents.models import Resident

    visible = Resident.objects.restrict(user, "view").filter(events=event)
    return list(visible.only("pk", "name", "id_number_masked", "grid_id"))


# --- Deadlines and colours (issue 5) ------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """The moment a page is drawn and the working calendar, held once for all its rows."""

    now: object
    calendar: object

    def time_left(self, row):
        """Working (or, for calendar-hour clocks, elapsed) time until the row's deadline."""
        return time_left(self.calendar, self.now, row.deadline, elapsed=row.calendar_hours)


def page_clock(now=None) -> Clock:
    return Clock(now=now or timezone.now(), calendar=working_calendar())


@dataclass
class ColourCount:
    level: int
    code: str
    label: str
    count: int


def colour_counts(queryset) -> list[ColourCount]:
    """How many rows of ``queryset`` show each colour, in one query (closed rows show none)."""
    counts = queryset.aggregate(
        **{ALERT_CODES[level]: Count("pk", filter=Q(alert_level=level)) for level in RAISED_LEVELS}
    )
    return [
        ColourCount(int(level), ALERT_CODES[level], str(level.label), counts[ALERT_CODES[level]])
        for level in RAISED_LEVELS
    ]


def by_colour(queryset, *, colour: str = "", sort: str = ""):
    """Rows of one colour (``?alert=red``), and the reddest, soonest due first (``?sort=alert``)."""
    level = LEVEL_OF_CODE.get(colour)
    if level is not None:
        queryset = queryset.filter(alert_level=level)
    if sort == "alert":
        queryset = queryset.order_by("-alert_level", F("deadline").asc(nulls_last=True), "-id")
    return queryset


def event_alerts(event: Event) -> list[Alert]:
    """The colours the event and its tasks reached, newest first (the event page)."""
    return list(event.alerts.select_related("task__unit").order_by("-raised_at", "-id")[:50])


# --- Supervision (督办) ---------------------------------------------------------------------------


def supervision_scope(user):
    """Events of the areas where the user may issue supervision notices."""
    scope = user_scope(user, "events.supervise_event")
    return Event.objects.restrict(user, "view").filter(Event.scope_q(scope))


def supervision_rows(user):
    """Red open events of the user's areas, longest red first, with their holders."""
    open_tasks = (
        Task.objects.filter(status__in=TASK_OPEN).select_related("unit").order_by("-is_lead", "id")
    )
    return (
        supervision_scope(user)
        .exclude(status__in=[S.CLOSED, S.REJECTED])
        .filter(alert_level=AlertLevel.RED)
        .select_related("item_version", "grid__parent")
        .annotate(
            supervision_count=Count("supervisions"), last_supervised=Max("supervisions__issued_at")
        )
        .prefetch_related(Prefetch("tasks", queryset=open_tasks, to_attr="open_tasks"))
        .order_by(F("red_at").asc(nulls_last=True), "id")
    )


def attach_holders(events, now) -> None:
    """Set ``event.holders`` (unit names) on each event of a page: its open tasks' units, else
    the dispatch centre or community station holding it, found in one query for the page."""
    wanted = {}
    for event in events:
        tasks = getattr(event, "open_tasks", None)
        if tasks:
            event.holders = [t.unit.name for t in tasks]
            continue
        code = event.grid.code
        if event.stage == ClockStage.VERIFY:
            key = (UnitKind.COMMUNITY_STATION, code[: CODE_LENGTH[AreaLevel.COMMUNITY]])
        elif event.owner_at(now) == OwnerLevel.STREET:
            key = (UnitKind.STREET_CENTRE, code[: CODE_LENGTH[AreaLevel.STREET]])
        else:
            key = (UnitKind.DISTRICT_CENTRE, code[: CODE_LENGTH[AreaLevel.DISTRICT]])
        wanted[event.pk] = key
    if not wanted:
        return
    units = Unit.objects.filter(
        kind__in={k for k, _c in wanted.values()},
        area__code__in={c for _k, c in wanted.values()},
        is_active=True,
    ).values_list("kind", "area__code", "name")
    names: dict[tuple[str, str], list[str]] = {}
    for kind, code, name in units:
        names.setdefault((kind, code), []).append(name)
    for event in events:
        if event.pk in wanted:
            event.holders = names.get(wanted[event.pk], [])


@dataclass
class SupervisedUnit:
    unit_id: int
    name: str
    events: int
    notices: int


def supervised_counts(user, start, end) -> list[SupervisedUnit]:
    """Per unit, the events supervised (and the notices issued) from ``start`` to ``end``,
    among the events the user may see: the monthly assessment's column (考核)."""
    through = Supervision.units.through
    rows = (
        through.objects.filter(
            supervision__issued_at__gte=start,
            supervision__issued_at__lt=end,
            supervision__event__in=Event.objects.restrict(user, "view").values("pk"),
        )
        .values("unit_id", "unit__name")
        .annotate(
            events=Count("supervision__event", distinct=True),
            notices=Count("supervision", distinct=True),
        )
        .order_by("-events", "-notices", "unit__name")
    )
    return [SupervisedUnit(r["unit_id"], r["unit__name"], r["events"], r["notices"]) for r in rows]
