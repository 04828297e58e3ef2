# ruff: noqa: RUF001  (Chinese demo text uses Chinese punctuation)
"""Demo events: a few hundred events over the last 90 days, in every state of the workflow.

``build_events(demo)`` runs after the territory, units and accounts exist. It opens the staff
the pipeline needs besides the fixed accounts (a dispatcher for every street, a handler for
every department, staff for every community station), then files and moves every event
through the services, with ``now`` set to the moment each step happened: the flow logs, stage
clocks and tracking numbers are those a real quarter would leave. Notifications are delivered
in this process when the demo commits (not queued for a worker).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta

import shapely
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from events import services
from events.catalogue import ensure_catalogue
from events.choices import Rating, Source, Urgency
from events.models import Event, ServiceItem
from events.workflow import EventStatus
from governance.accounts.roles import Role
from governance.notifications.services import delivered_inline
from grids.choices import UnitKind

DEMO_EVENTS = 260

# Target states and how often a demo event ends in each (most are closed, as in real life).
TARGETS = [
    ("closed", 34), ("verified", 7), ("verified_rated", 4), ("handled", 7), ("in_progress", 12),
    ("dispatched", 7), ("sent_back", 3), ("grabbed", 3), ("returned", 3), ("reported", 4),
    ("reported_late", 3), ("pending", 4), ("rejected", 4), ("duplicate", 2), ("reopened", 3),
    ("on_the_spot", 5), ("joint", 4), ("extension", 3),
]  # fmt: skip
OPEN_TARGETS = {
    "verified",
    "verified_rated",
    "handled",
    "in_progress",
    "dispatched",
    "sent_back",
    "grabbed",
    "returned",
    "reported",
    "reported_late",
    "pending",
    "extension",
}

# Hours since the report for open events waiting at a short-clocked stage (dispatch, sign for,
# verification), so that the consoles show every colour of the overdue alerts.
RECENT_HOURS = {
    "dispatched": (0.5, 40),
    "grabbed": (0.5, 30),
    "returned": (1, 40),
    "sent_back": (2, 60),
    "handled": (3, 90),
}

DESCRIPTIONS = {
    "default": ["{item}，影响居民正常生活，请尽快处理。", "巡查发现{item}问题，已拍照取证。",
                "居民反映{item}，现场核实情况属实。", "{item}，已持续多日，群众意见较大。"],
    "results": ["已安排人员到场处置，问题已解决。", "已责令当事人限期整改，现已整改到位。",
                "已联系相关单位维修完毕。", "已约谈当事人并现场调解，双方达成一致。"],
}  # fmt: skip
ADDRESSES = [
    "解放路",
    "云集路",
    "夷陵大道",
    "东山大道",
    "沿江大道",
    "珍珠路",
    "西陵二路",
    "胜利四路",
    "铁路坝",
    "南门外正街",
    "四方堰",
    "樵湖岭",
]
RESIDENT_NAMES = ["王女士", "李先生", "张阿姨", "刘师傅", "陈先生", "赵女士"]


@dataclass
class Staff:
    """Who acts for each part of the territory in the demo."""

    street: dict  # street code -> dispatcher
    district: object
    station: dict  # community code -> community staff
    unit: dict  # unit pk -> a handler


def build_events(demo) -> list[Event]:
    """File and move the demo events; returns them."""
    from governance.demo import _one_hash_for

    started = time.monotonic()
    ensure_catalogue()
    rng = demo.rng("events")
    with _one_hash_for(demo.password):
        staff = _open_staff(demo)
    items = list(ServiceItem.objects.filter(is_active=True).select_related("current"))
    joint_items = [i for i in items if i.current.joint_allowed]
    now = timezone.now().replace(microsecond=0)
    weights = [w for _t, w in TARGETS]
    targets = [t for t, _w in TARGETS]
    made = []
    with delivered_inline():
        for index in range(DEMO_EVENTS):
            target = rng.choices(targets, weights)[0]
            grid = _pick_grid(demo, rng, index)
            item = rng.choice(joint_items if target == "joint" else items)
            made.append(_one_event(demo, rng, staff, grid, item, target, now))
    _alerts(demo, staff, now)
    demo.say(
        _("Events: %(n)s (%(seconds).1f s).")
        % {"n": len(made), "seconds": time.monotonic() - started}
    )
    return made


def _alerts(demo, staff, now) -> None:
    """Unit heads, then the sweep as the beat would run it now (every open event shows the
    colour its clock has reached), its notifications, and a few supervision notices."""
    from events.models import Event as EventModel
    from events.services.supervision import holding_units
    from governance.demo import _one_hash_for

    police = demo.units[f"police:{demo.street_a.code}"]
    with _one_hash_for(demo.password):
        head = _open_head(demo, police)
    services.unit_head_add(actor=demo.admin, unit=police, user=head)
    for code, user in staff.station.items():
        services.unit_head_add(actor=demo.admin, unit=demo.units[f"station:{code}"], user=user)
    result = services.sweep_alerts(now=now, enqueue=False)
    services.alerts_notify(now=now)
    red = list(
        EventModel.objects.filter(alert_level=4, grid__code__startswith=demo.street_a.code)
        .exclude(status__in=["closed", "rejected"])
        .order_by("red_at")[:3]
    )
    for event in red:
        if holding_units(event, now=now):
            services.supervision_issue(
                event=event,
                actor=demo.users["leader"],
                note=_("Overdue: report the progress to the district by tomorrow noon."),
                now=now,
            )
    demo.say(_("Overdue alerts: %(n)s.") % {"n": result.alerts})


def _open_head(demo, unit):
    """The head (所长) of the first street's police station: the ``depthead`` account."""
    from governance.accounts.roles import Role
    from governance.accounts.services import role_assign, user_create

    user = user_create(
        actor=demo.admin,
        username="depthead",
        password=demo.password,
        full_name="钱所长",
        unit=unit,
    )
    role_assign(actor=demo.admin, user=user, role=Role.DEPARTMENT_HANDLER, unit=unit)
    demo.users["depthead"] = user
    return user


def _open_staff(demo) -> Staff:
    """Accounts the pipeline needs in every street, department and community station."""
    from governance.accounts.services import role_assign, user_create

    def open_account(username, full_name, unit, role, area=None, role_unit=None):
        user = demo.users.get(username)
        if user is None:
            user = user_create(
                actor=demo.admin,
                username=username,
                password=demo.password,
                full_name=full_name,
                unit=unit,
            )
            role_assign(actor=demo.admin, user=user, role=role, area=area, unit=role_unit)
            demo.users[username] = user
        return user

    rng = demo.rng("events-staff")
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟强磊军杰涛斌明芳娜敏静丽艳"

    def name():
        return rng.choice(surnames) + "".join(rng.choice(given) for _ in range(2))

    streets = {demo.street_a.code: demo.users["street"]}
    for street in demo.streets[1:]:
        centre = demo.units[f"street_centre:{street.code}"]
        streets[street.code] = open_account(
            f"sd{street.code}", name(), centre, Role.STREET_DISPATCHER, area=street
        )
    stations = {demo.community_a.code: demo.users["community"]}
    for community in demo.communities[1:]:
        station = demo.units[f"station:{community.code}"]
        stations[community.code] = open_account(
            f"cs{community.code}", name(), station, Role.COMMUNITY_STAFF, area=community
        )
    handlers = {demo.units[f"police:{demo.street_a.code}"].pk: demo.users["dept"]}
    for key, unit in demo.units.items():
        if unit.kind == UnitKind.DEPARTMENT and unit.pk not in handlers:
            username = "dh_" + key.replace(":", "_")
            handlers[unit.pk] = open_account(
                username, name(), unit, Role.DEPARTMENT_HANDLER, role_unit=unit
            )
    mediation = demo.units[f"mediation:{demo.street_a.code}"]
    handlers[mediation.pk] = demo.users["mediator"]
    return Staff(street=streets, district=demo.users["district"], station=stations, unit=handlers)


def _pick_grid(demo, rng, index):
    """Grid A gets a sixth of the events (the ``worker`` account's grid), grid B a tenth."""
    roll = rng.random()
    if roll < 0.16:
        return demo.grid_a
    if roll < 0.26:
        return demo.grid_b
    return rng.choice(demo.grids)


def _point_in(grid, rng) -> tuple[float, float]:
    polygon = shape(grid.boundary)
    west, south, east, north = polygon.bounds
    for _attempt in range(50):
        lng, lat = rng.uniform(west, east), rng.uniform(south, north)
        if polygon.contains(shapely.Point(lng, lat)):
            return round(lat, 6), round(lng, 6)
    point = polygon.representative_point()
    return point.y, point.x


def _worker_of(demo, grid):
    if grid.pk == demo.grid_a.pk:
        return demo.users["worker"]
    if grid.pk == demo.grid_b.pk:
        return demo.users["worker2"]
    return demo.users[f"gw{grid.code}"]


def _start(rng, target: str, now):
    """When the event was reported: recent for open ones, anywhere in 90 days otherwise."""
    if target == "reported":
        return now - timedelta(minutes=rng.randint(2, 25))
    if target == "reported_late":
        return now - timedelta(hours=rng.uniform(1, 30))
    if target == "pending":
        return now - timedelta(hours=rng.uniform(0.2, 20))
    if target in RECENT_HOURS:  # stages with short clocks: spread over every colour
        return now - timedelta(hours=rng.uniform(*RECENT_HOURS[target]))
    if target in OPEN_TARGETS:
        return now - timedelta(days=rng.uniform(1, 12), hours=rng.uniform(0, 8))
    return now - timedelta(days=rng.uniform(6, 89), hours=rng.uniform(0, 8))


def _working_hour(moment):
    """Move a moment into office hours (8:30-17:30 local), as staff act then."""
    local = timezone.localtime(moment)
    if local.hour < 8:
        local = local.replace(hour=8, minute=30 + local.minute % 30)
    elif local.hour >= 18:
        local = local.replace(hour=17, minute=local.minute % 30)
    return local


class _Clock:
    def __init__(self, rng, start, now):
        self.rng, self.at, self.now = rng, _working_hour(start), now

    def after(self, low_minutes: float, high_minutes: float):
        step = timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))
        self.at = min(self.at + step, self.now - timedelta(minutes=1))
        return self.at


def _unit_for(event, staff, demo):
    """The suggested unit if someone works there, else the grid's community station."""
    unit = event.suggested_unit
    if unit is not None and (unit.pk in staff.unit or unit.kind == UnitKind.COMMUNITY_STATION):
        return unit
    return demo.units[f"station:{event.grid.parent.code}"]


def _handler(unit, staff, event):
    if unit.kind == UnitKind.COMMUNITY_STATION:
        return staff.station[unit.area.code]
    return staff.unit[unit.pk]


def _one_event(demo, rng, staff, grid, item, target, now) -> Event:
    version = item.current
    reporter = _worker_of(demo, grid)
    clock = _Clock(rng, _start(rng, target, now), now)
    lat, lng = _point_in(grid, rng)
    fields = {
        "item": item,
        "urgency": rng.choices(list(Urgency), [70, 22, 8])[0],
        "description": rng.choice(DESCRIPTIONS["default"]).format(item=version.name),
        "lat": lat,
        "lng": lng,
        "address": f"{rng.choice(ADDRESSES)}{rng.randint(1, 199)}号",
        "now": clock.at,
    }
    if target == "pending":
        return services.event_report(
            actor=None,
            source=Source.RESIDENT,
            contact_name=rng.choice(RESIDENT_NAMES),
            contact_phone=f"139{rng.randint(10000000, 99999999)}",
            **fields,
        )
    if target == "on_the_spot" and version.on_the_spot_allowed:
        event = services.event_report(
            actor=reporter,
            on_the_spot=True,
            result=rng.choice(DESCRIPTIONS["results"]),
            result_photos=[_photo(rng)],
            **fields,
        )
        return _feedback(event, rng, staff, clock, reporter, close=True)
    source = rng.choices([Source.GRID_PATROL, Source.HOTLINE, Source.VIDEO], [80, 15, 5])[0]
    event = services.event_report(
        actor=reporter, source=source, photos=[_photo(rng)] if rng.random() < 0.1 else [], **fields
    )
    street_code = grid.code[:9]
    dispatcher = staff.street[street_code]
    if target in ("reported", "reported_late"):
        return event
    if target == "duplicate":
        original = (
            Event.objects.filter(item_version__item=item, duplicate_of__isnull=True)
            .exclude(pk=event.pk)
            .exclude(status__in=[EventStatus.PENDING, EventStatus.REJECTED])
            .order_by("-reported_at")
            .first()
        )
        services.event_grab(event=event, actor=dispatcher, now=clock.after(3, 25))
        return services.event_reject(
            event=event,
            actor=dispatcher,
            duplicate_of=original,
            reason=_("Reported twice") if original else _("Invalid"),
            now=clock.after(5, 30),
        )
    if rng.random() < 0.12:  # not grabbed in time: the district dispatches
        services.event_dispatch(
            event=event,
            actor=staff.district,
            to_units=[_unit_for(event, staff, demo)],
            now=clock.after(35, 120),
        )
    else:
        services.event_grab(event=event, actor=dispatcher, now=clock.after(3, 25))
        if target == "grabbed":
            return event
        if target == "rejected":
            return services.event_reject(
                event=event,
                actor=dispatcher,
                now=clock.after(5, 40),
                reason=_("Not a matter for the grid: advised the caller."),
            )
        if target == "returned":
            return services.event_return(
                event=event,
                actor=dispatcher,
                now=clock.after(10, 90),
                reason=_("Needs coordination across departments."),
            )
        if target == "joint":
            units = [
                _unit_for(event, staff, demo),
                demo.units[f"station:{grid.parent.code}"],
                demo.units[f"police:{street_code}"],
            ]
            units = list(dict.fromkeys(units))
            if len(units) < 2:
                units.append(demo.units[f"justice:{street_code}"])
            services.event_joint(
                event=event,
                actor=dispatcher,
                to_units=units,
                lead=units[0],
                now=clock.after(10, 60),
            )
        else:
            unit = _unit_for(event, staff, demo)
            if len(unit.area.code) < 9:  # a district department: the street cannot split to it
                unit = demo.units[f"station:{grid.parent.code}"]
            services.event_split(
                event=event, actor=dispatcher, to_unit=unit, now=clock.after(10, 60)
            )
    if target == "dispatched":
        return event
    tasks = list(event.tasks.select_related("unit__area"))
    if target == "sent_back":
        task = tasks[0]
        return services.task_send_back(
            event=event,
            task=task,
            actor=_handler(task.unit, staff, event),
            reason=_("Not within our duties."),
            now=clock.after(30, 240),
        )
    for task in tasks:
        services.task_sign(
            event=event,
            task=task,
            actor=_handler(task.unit, staff, event),
            now=clock.after(15, 240),
        )
    if target == "extension":
        task = tasks[0]
        task.refresh_from_db()
        services.task_request_extension(
            event=event,
            task=task,
            actor=_handler(task.unit, staff, event),
            reason=_("Waiting for parts."),
            new_due=task.deadline + timedelta(days=rng.randint(3, 8)),
            now=clock.after(60, 600),
        )
        if rng.random() < 0.5:  # the street approved it: the deadline moved
            services.task_decide_extension(
                event=event,
                task=task,
                actor=staff.street.get(street_code, staff.district)
                if event.owner_level == "street"
                else staff.district,
                approve=True,
                comment=_("Approved: keep the resident informed."),
                now=clock.after(10, 120),
            )
        return event
    if target == "in_progress":
        task = tasks[0]
        services.task_progress(
            event=event,
            task=task,
            actor=_handler(task.unit, staff, event),
            note=_("On site, work under way."),
            now=clock.after(60, 600),
        )
        return event
    for task in tasks:
        services.task_complete(
            event=event,
            task=task,
            actor=_handler(task.unit, staff, event),
            result=rng.choice(DESCRIPTIONS["results"]),
            now=clock.after(120, 2400),
        )
    if target == "handled":
        return event
    return _feedback(
        event,
        rng,
        staff,
        clock,
        reporter,
        close=target not in ("verified", "verified_rated"),
        rate=target != "verified",
        reopen=target == "reopened",
    )


def _feedback(event, rng, staff, clock, reporter, *, close, rate=True, reopen=False):
    """Verification by the grid worker, the reporter's rating, the closing."""
    if reopen:
        services.event_verify(event=event, actor=reporter, passed=True, now=clock.after(60, 900))
        services.event_rate(
            event=event,
            actor=reporter,
            rating=Rating.UNSATISFIED,
            comment=_("The problem came back."),
            now=clock.after(60, 1440),
        )
        for task in event.tasks.filter(status="in_progress").select_related("unit__area"):
            services.task_complete(
                event=event,
                task=task,
                actor=_handler(task.unit, staff, event),
                result=_("Handled again, checked with the resident."),
                now=clock.after(120, 1440),
            )
        if event.status != EventStatus.HANDLED:
            return event
    if rng.random() < 0.08 and not reopen and event.tasks.exists():
        services.event_verify(
            event=event,
            actor=reporter,
            passed=False,
            note=_("Not fixed yet."),
            now=clock.after(60, 900),
        )
        for task in event.tasks.filter(status="in_progress").select_related("unit__area"):
            services.task_complete(
                event=event,
                task=task,
                actor=_handler(task.unit, staff, event),
                result=_("Fixed properly this time."),
                now=clock.after(120, 1440),
            )
    services.event_verify(
        event=event,
        actor=reporter,
        passed=True,
        note=_("Checked on site."),
        now=clock.after(60, 900),
    )
    if not rate:
        return event
    if rng.random() < 0.12 and close:  # nobody rated: the platform closed it
        days = timedelta(days=8)
        if clock.at + days < clock.now:
            return services.event_auto_close(event=event, now=clock.at + days)
        return event
    rating = rng.choices([Rating.SATISFIED, Rating.BASICALLY_SATISFIED], [80, 20])[0]
    services.event_rate(event=event, actor=reporter, rating=rating, now=clock.after(30, 1440))
    if not close:
        return event
    street = staff.street[event.grid.code[:9]]
    closer = street if event.owner_level == "street" else staff.district
    if event.item_version.closing_level == "district":
        closer = staff.district
    if closer is staff.district and event.owner_level == "street":
        return event  # a street-held event closed at district level waits for the district
    return services.event_close(event=event, actor=closer, now=clock.after(30, 600))


def _photo(rng: random.Random):
    """A small generated JPEG (a coloured tile), so event pages have something to show."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (rng.randint(90, 200), rng.randint(90, 200), 160))
    draw = ImageDraw.Draw(image)
    for _shape in range(6):
        x, y = rng.randint(0, 280), rng.randint(0, 200)
        draw.rectangle(
            [x, y, x + rng.randint(20, 60), y + rng.randint(20, 50)],
            fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")
