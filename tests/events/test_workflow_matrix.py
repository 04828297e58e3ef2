"""The transition matrix, generated from the table in events/workflow.py.

For every transition, every situation an event can be in and every persona, the test works out
from the table (and from how each persona stands towards the test event, written out below)
whether the move is allowed, then tries it through the service: an allowed move must work and
land where the table says; any other must be refused with a message, changing nothing.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from events import services
from events.choices import Rating
from events.models import FlowEntry
from events.workflow import (
    RESIDENT,
    SYSTEM,
    TRANSITIONS,
    WITH_UNITS,
    EventStatus,
    Relation,
    TaskStatus,
)
from governance.accounts.roles import Role
from tests.events.helpers import walk

S = EventStatus
STAFF = ("worker", "worker2", "community", "street", "district", "leader", "dept", "mediator",
         "petition", "admin")  # fmt: skip
PERSONAS = (*STAFF, RESIDENT, SYSTEM)


def relations(persona: str, *, owner: str, reporter: bool, assignee: bool) -> set:
    """How each persona of tests/factories.py stands towards an event of grid A whose police
    task (police A, the ``dept`` persona's unit) is the one acted on."""
    area = {
        "worker": Role.GRID_WORKER, "community": Role.COMMUNITY_STAFF,
        "street": Role.STREET_DISPATCHER, "district": Role.DISTRICT_DISPATCHER,
        "leader": Role.LEADER, "dept": Role.DEPARTMENT_HANDLER, "mediator": Role.MEDIATOR,
        "petition": Role.PETITION_OFFICER,
    }  # fmt: skip
    held = set()
    if persona in area:
        held.add((area[persona], Relation.AREA))
    if persona == "street" and owner == "street":
        held.add((Role.STREET_DISPATCHER, Relation.OWNER))
    if persona == "district" and owner == "district":
        held.add((Role.DISTRICT_DISPATCHER, Relation.OWNER))
    if persona == "worker" and reporter:
        held.add((Role.GRID_WORKER, Relation.REPORTER))
    if persona == "dept" and assignee:
        held.add((Role.DEPARTMENT_HANDLER, Relation.ASSIGNEE))
    if persona == RESIDENT:
        held.add((RESIDENT, Relation.RESIDENT))
    if persona == SYSTEM:
        held.add((SYSTEM, Relation.SYSTEM))
    return held


# --- Situations: an event of grid A in a given state, built through the services -------------


def _extension_requested(world, item, now):
    event = walk(world, item, S.IN_PROGRESS, now=now)
    services.task_request_extension(
        event=event, task=event.tasks.get(), actor=world.users["dept"], reason="需要采购配件",
        new_due=now + timedelta(days=14), now=now,
    )  # fmt: skip
    return event


def _joint_with_send_back(world, item, now, *, signed: bool):
    """Police A leads, community station A joins and sends its task back."""
    u = world.users
    event = walk(world, item, S.GRABBED, now=now)
    police, station = world.units["police_a"], world.units["station_a"]
    services.event_joint(event=event, actor=u["street"], lead=police, to_units=[police, station],
                         now=now)  # fmt: skip
    station = event.tasks.get(unit=world.units["station_a"])
    services.task_send_back(event=event, task=station, actor=u["community"], reason="非社区职责",
                            now=now)  # fmt: skip
    if signed:
        services.task_sign(event=event, task=event.tasks.get(unit=world.units["police_a"]),
                           actor=u["dept"], now=now)  # fmt: skip
    return event


def _rejected(world, item, now):
    event = walk(world, item, S.REPORTED, now=now)
    return services.event_reject(event=event, actor=world.users["street"], reason="无效", now=now)


SITUATIONS = {
    # name: (event state, owner, builder(world, item, now) -> event)
    "pending": (S.PENDING, "street", lambda w, i, n: walk(w, i, S.PENDING, now=n)),
    "reported": (S.REPORTED, "street", lambda w, i, n: walk(w, i, S.REPORTED, now=n)),
    "reported_late": (S.REPORTED, "district",
                      lambda w, i, n: walk(w, i, S.REPORTED, now=n - timedelta(hours=2))),
    "grabbed": (S.GRABBED, "street", lambda w, i, n: walk(w, i, S.GRABBED, now=n)),
    "returned": (S.RETURNED, "district", lambda w, i, n: walk(w, i, S.RETURNED, now=n)),
    "sent_back": (S.SENT_BACK, "street", lambda w, i, n: walk(w, i, S.SENT_BACK, now=n)),
    "dispatched": (S.DISPATCHED, "street", lambda w, i, n: walk(w, i, S.DISPATCHED, now=n)),
    "in_progress": (S.IN_PROGRESS, "street", lambda w, i, n: walk(w, i, S.IN_PROGRESS, now=n)),
    "handled": (S.HANDLED, "street", lambda w, i, n: walk(w, i, S.HANDLED, now=n)),
    "verified": (S.VERIFIED, "street", lambda w, i, n: walk(w, i, S.VERIFIED, now=n)),
    "closed": (S.CLOSED, "street", lambda w, i, n: walk(w, i, S.CLOSED, now=n)),
    "rejected": (S.REJECTED, "street", _rejected),
    # Variants that meet a transition's other preconditions.
    "in_progress_extension": (S.IN_PROGRESS, "street", _extension_requested),
    "dispatched_sent_back": (S.DISPATCHED, "street",
                             lambda w, i, n: _joint_with_send_back(w, i, n, signed=False)),
    "in_progress_sent_back": (S.IN_PROGRESS, "street",
                              lambda w, i, n: _joint_with_send_back(w, i, n, signed=True)),
    "verified_rated": (S.VERIFIED, "street", lambda w, i, n: walk(w, i, "verified_rated", now=n)),
}  # fmt: skip
BASIC = ("pending", "reported", "reported_late", "grabbed", "returned", "sent_back", "dispatched",
         "in_progress", "handled", "verified", "closed", "rejected")  # fmt: skip
# Where a transition needs more than its state, it is tried in a variant of that situation.
VARIANTS = {
    "decide_extension": {"in_progress": "in_progress_extension"},
    "reassign": {"dispatched": "dispatched_sent_back", "in_progress": "in_progress_sent_back"},
    "close": {"verified": "verified_rated"},
}


def _call(name, event, persona, world, now):
    """Perform transition ``name`` as ``persona`` with inputs that satisfy its service."""
    actor = world.users.get(persona) if persona in STAFF else None
    units, police = world.units, world.units["police_a"]
    task = event.tasks.filter(unit=police).first()
    sent_back = event.tasks.filter(status=TaskStatus.SENT_BACK, rerouted=False).first()
    common = {"event": event, "actor": actor, "now": now}
    calls = {
        "accept": lambda: services.event_accept(**common),
        "reject": lambda: services.event_reject(**common, reason="重复上报"),
        "grab": lambda: services.event_grab(**common),
        "split": lambda: services.event_split(**common, to_unit=police),
        "joint": lambda: services.event_joint(**common, to_units=[police, units["station_a"]],
                                              lead=police),
        "dispatch": lambda: services.event_dispatch(**common, to_units=[police]),
        "return": lambda: services.event_return(**common, reason="需区级协调"),
        "reassign": lambda: services.event_reassign(**common, task=sent_back or task,
                                                    to_unit=units["mediation_a"]),
        "sign": lambda: services.task_sign(**common, task=task),
        "progress": lambda: services.task_progress(**common, task=task, note="已到现场"),
        "request_extension": lambda: services.task_request_extension(
            **common, task=task, reason="等待配件", new_due=now + timedelta(days=14)),
        "decide_extension": lambda: services.task_decide_extension(**common, task=task,
                                                                   approve=True),
        "send_back": lambda: services.task_send_back(**common, task=task, reason="非本单位职责"),
        "complete": lambda: services.task_complete(**common, task=task, result="已处理"),
        "verify": lambda: services.event_verify(**common, passed=True, note="已修复"),
        "fail_verification": lambda: services.event_verify(**common, passed=False, note="未修复"),
        "rate": lambda: services.event_rate(**common, rating=Rating.SATISFIED,
                                            resident=persona == RESIDENT),
        "reopen": lambda: services.event_rate(**common, rating=Rating.UNSATISFIED, comment="没修好",
                                              resident=persona == RESIDENT),
        "close": lambda: services.event_close(**common),
        "auto_close": lambda: services.event_auto_close(event=event, now=now + timedelta(days=8)),
    }  # fmt: skip
    return calls[name]()


def _reachable(name: str, persona: str) -> bool:
    """Residents and the platform act only through their own paths (the public page's rating,
    the auto-close job); staff never reach auto-close (its service takes no actor)."""
    if persona == SYSTEM:
        return name == "auto_close"
    if persona == RESIDENT:
        return name in ("rate", "reopen")
    return name != "auto_close"


def expected(name: str, situation: str, persona: str, event) -> bool:
    """Whether the table allows ``persona`` to perform ``name`` in ``situation``."""
    state, owner, _build = SITUATIONS[situation]
    transition = TRANSITIONS[name]
    task = event.tasks.filter(unit__name="西陵派出所").first()
    if transition.on_task:
        if state not in WITH_UNITS or task is None:
            return False
        state = task.status
    held = relations(persona, owner=owner, reporter=event.reporter_id is not None,
                     assignee=transition.on_task)  # fmt: skip
    return any(
        state in row.sources and (row.role, row.relation) in held for row in transition.performers
    )


CASES = [
    (name, VARIANTS.get(name, {}).get(situation, situation))
    for name in TRANSITIONS
    for situation in BASIC
]


@pytest.mark.parametrize(("name", "situation"), CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_each_persona_may_perform_a_transition_exactly_when_the_table_says(
    world, police_item, name, situation
):
    now = timezone.now()
    state, _owner, build = SITUATIONS[situation]
    event = build(world, police_item, now)
    assert event.status == state, f"the {situation} situation is not in {state}"
    problems = []
    for persona in PERSONAS:
        if not _reachable(name, persona):
            continue
        allowed = expected(name, situation, persona, event)
        before = (event.status, FlowEntry.objects.filter(event=event).count())
        event.refresh_from_db()
        try:
            with transaction.atomic():
                _call(name, event, persona, world, now)
                after = event.status
                target = TRANSITIONS[name].target
                if not allowed:
                    problems.append(f"{persona} could {name} in {situation}")
                elif target is not None and after != target:
                    problems.append(f"{name} by {persona} led to {after}, not {target}")
                elif FlowEntry.objects.filter(event=event).count() != before[1] + 1:
                    problems.append(f"{name} by {persona} did not write one flow entry")
                transaction.set_rollback(True)
        except (PermissionDenied, ValidationError) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            if allowed:
                problems.append(f"{persona} could not {name} in {situation}: {messages}")
            elif not any(m.strip() for m in messages):
                problems.append(f"{persona} was refused {name} in {situation} without a message")
        event.refresh_from_db()
        now_state = (event.status, FlowEntry.objects.filter(event=event).count())
        if now_state != before:
            problems.append(f"{name} by {persona} in {situation} left a change behind")
    assert problems == []


def test_the_matrix_covers_every_transition_and_every_state():
    covered = {name for name, _s in CASES}
    assert covered == set(TRANSITIONS)
    assert {SITUATIONS[s][0] for s in BASIC} == set(EventStatus)
