"""The event pipeline's state machine, as data.

An **event** moves through ``EventStatus``; each unit it is sent to holds a **task** moving through
``TaskStatus`` (joint handling gives one event several tasks, one of them the lead). Every move is
a named transition below: the states it leaves from, the state it enters, and who may perform it,
written as ``By(role, relation, from_states)``: a person holding ``role`` whose relation to the
event (or task) is ``relation`` may perform it from ``from_states``.

Relations (checked in ``events.services.guards``):

- ``AREA``: the role's area covers the event's grid (a grid worker of that grid, the street's
  community staff, ...).
- ``OWNER``: the role is a dispatcher at the level that holds the event now, over its area.
  A reported event belongs to its street during the grab window, then to the district; a
  returned event belongs to the district; a grabbed one to the street.
- ``ASSIGNEE``: the person works in the task's unit.
- ``REPORTER``: the person filed the event.
- ``RESIDENT``: a resident on the public page who proved the phone they gave.
- ``SYSTEM``: the platform itself (the auto-close job).

Service functions in ``events.services`` perform the transitions; each one looks its row up here,
so the web pages, the API, the tasks and the demo all obey this one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.accounts.roles import Role


class EventStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    REPORTED = "reported", _("Awaiting dispatch")
    GRABBED = "grabbed", _("Held by the street")
    RETURNED = "returned", _("Returned to the district")
    SENT_BACK = "sent_back", _("Sent back, to re-route")
    DISPATCHED = "dispatched", _("Awaiting sign-for")
    IN_PROGRESS = "in_progress", _("In progress")
    HANDLED = "handled", _("Handled, awaiting verification")
    VERIFIED = "verified", _("Verified, awaiting evaluation")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", pgettext_lazy("event status", "Rejected")


class TaskStatus(models.TextChoices):
    AWAITING_SIGN = "awaiting_sign", _("Awaiting sign-for")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SENT_BACK = "sent_back", _("Sent back")
    CANCELLED = "cancelled", _("Cancelled")


S, T = EventStatus, TaskStatus

TERMINAL = frozenset({S.CLOSED, S.REJECTED})
OPEN = frozenset(set(S) - TERMINAL)
# With a dispatch centre (to route), with units (to handle), after handling (to check).
AT_DISPATCH = frozenset({S.PENDING, S.REPORTED, S.GRABBED, S.RETURNED, S.SENT_BACK})
WITH_UNITS = frozenset({S.DISPATCHED, S.IN_PROGRESS})
TASK_OPEN = frozenset({T.AWAITING_SIGN, T.IN_PROGRESS})
TASK_TERMINAL = frozenset({T.DONE, T.SENT_BACK, T.CANCELLED})


class Relation(StrEnum):
    AREA = "area"
    OWNER = "owner"
    ASSIGNEE = "assignee"
    REPORTER = "reporter"
    RESIDENT = "resident"
    SYSTEM = "system"


# Pseudo-roles for performers who hold no staff role.
RESIDENT = "resident"
SYSTEM = "system"

R = Role


@dataclass(frozen=True)
class By:
    """Who may perform a transition, and from which states."""

    role: str
    relation: Relation
    sources: frozenset


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    target: str | None  # None: the service decides (a task move may or may not move the event)
    performers: tuple[By, ...]
    on_task: bool = False  # the sources are task states; the event must be with units

    @property
    def sources(self) -> frozenset:
        return frozenset().union(*(p.sources for p in self.performers))


def _by(role, relation, *sources) -> By:
    return By(role, relation, frozenset(sources))


ASSIGNEE_ROLES = (R.DEPARTMENT_HANDLER, R.COMMUNITY_STAFF, R.MEDIATOR)


def _assignees(*sources) -> tuple[By, ...]:
    return tuple(_by(role, Relation.ASSIGNEE, *sources) for role in ASSIGNEE_ROLES)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        # --- Intake ----------------------------------------------------------------------
        Transition("accept", _("Accept the report"), S.REPORTED, (
            _by(R.STREET_DISPATCHER, Relation.AREA, S.PENDING),
            _by(R.DISTRICT_DISPATCHER, Relation.AREA, S.PENDING),
        )),
        Transition("reject", _("Reject as invalid or duplicate"), S.REJECTED, (
            _by(R.STREET_DISPATCHER, Relation.AREA, S.PENDING),
            _by(R.STREET_DISPATCHER, Relation.OWNER, S.REPORTED, S.GRABBED, S.SENT_BACK),
            _by(R.DISTRICT_DISPATCHER, Relation.AREA, S.PENDING),
            _by(R.DISTRICT_DISPATCHER, Relation.OWNER, S.REPORTED, S.RETURNED, S.SENT_BACK),
        )),
        # --- The five ways of dispatch (五单办理) ------------------------------------------
        Transition("grab", _("Grab"), S.GRABBED, (
            _by(R.STREET_DISPATCHER, Relation.OWNER, S.REPORTED),
        )),
        Transition("split", _("Split down"), S.DISPATCHED, (
            _by(R.STREET_DISPATCHER, Relation.OWNER, S.GRABBED, S.SENT_BACK),
        )),
        Transition("joint", _("Summon jointly"), S.DISPATCHED, (
            _by(R.STREET_DISPATCHER, Relation.OWNER, S.GRABBED, S.SENT_BACK),
            _by(R.DISTRICT_DISPATCHER, Relation.OWNER, S.REPORTED, S.RETURNED, S.SENT_BACK),
        )),
        Transition("dispatch", _("Dispatch"), S.DISPATCHED, (
            _by(R.DISTRICT_DISPATCHER, Relation.OWNER, S.REPORTED, S.RETURNED, S.SENT_BACK),
        )),
        Transition("return", _("Return to the district"), S.RETURNED, (
            _by(R.STREET_DISPATCHER, Relation.OWNER, S.GRABBED, S.SENT_BACK),
        )),
        Transition("reassign", _("Re-route a sent-back task"), None, (
            _by(R.STREET_DISPATCHER, Relation.OWNER, S.DISPATCHED, S.IN_PROGRESS, S.SENT_BACK),
            _by(R.DISTRICT_DISPATCHER, Relation.OWNER, S.DISPATCHED, S.IN_PROGRESS, S.SENT_BACK),
        )),
        # --- Handling, per task ------------------------------------------------------------
        Transition("sign", _("Sign for"), None, _assignees(T.AWAITING_SIGN), on_task=True),
        Transition("progress", _("Record progress"), None, _assignees(T.IN_PROGRESS),
                   on_task=True),
        Transition("request_extension", _("Ask for an extension"), None,
                   _assignees(T.IN_PROGRESS), on_task=True),
        Transition("decide_extension", _("Decide on an extension"), None, (
            _by(R.STREET_DISPATCHER, Relation.OWNER, T.IN_PROGRESS),
            _by(R.DISTRICT_DISPATCHER, Relation.OWNER, T.IN_PROGRESS),
        ), on_task=True),
        Transition("send_back", _("Send back"), None,
                   _assignees(T.AWAITING_SIGN, T.IN_PROGRESS), on_task=True),
        Transition("complete", _("Report the result"), None, _assignees(T.IN_PROGRESS),
                   on_task=True),
        # --- Feedback and evaluation -------------------------------------------------------
        Transition("verify", _("Confirm the result on site"), S.VERIFIED, (
            _by(R.GRID_WORKER, Relation.AREA, S.HANDLED),
        )),
        Transition("fail_verification", _("Reject the result on site"), None, (
            _by(R.GRID_WORKER, Relation.AREA, S.HANDLED),
        )),
        Transition("rate", _("Rate"), S.VERIFIED, (
            _by(R.GRID_WORKER, Relation.REPORTER, S.VERIFIED),
            _by(R.COMMUNITY_STAFF, Relation.REPORTER, S.VERIFIED),
            _by(R.PETITION_OFFICER, Relation.REPORTER, S.VERIFIED),
            _by(RESIDENT, Relation.RESIDENT, S.VERIFIED),
        )),
        Transition("reopen", _("Reopen (unsatisfied)"), None, (
            _by(R.GRID_WORKER, Relation.REPORTER, S.VERIFIED),
            _by(R.COMMUNITY_STAFF, Relation.REPORTER, S.VERIFIED),
            _by(R.PETITION_OFFICER, Relation.REPORTER, S.VERIFIED),
            _by(RESIDENT, Relation.RESIDENT, S.VERIFIED),
        )),
        Transition("close", _("Close"), S.CLOSED, (
            _by(R.COMMUNITY_STAFF, Relation.AREA, S.VERIFIED),
            _by(R.STREET_DISPATCHER, Relation.OWNER, S.VERIFIED),
            _by(R.DISTRICT_DISPATCHER, Relation.OWNER, S.VERIFIED),
        )),
        Transition("auto_close", _("Close automatically without a rating"), S.CLOSED, (
            _by(SYSTEM, Relation.SYSTEM, S.VERIFIED),
        )),
    ]
}  # fmt: skip

# A target of None is derived, not chosen (events.services.handling.settle): after a task move
# the event is in progress while any task is open, sent back when only an unrouted send-back
# remains, handled when every remaining task is done. A failed verification or an unsatisfied
# rating puts the units back to work (in progress), or, for an event handled on the spot,
# back to its street for dispatch.


def transition(name: str) -> Transition:
    return TRANSITIONS[name]


def performers_for(name: str, state: str) -> list[By]:
    """The rows of ``name`` that allow it from ``state``."""
    return [p for p in TRANSITIONS[name].performers if state in p.sources]


def event_transitions() -> list[Transition]:
    return [t for t in TRANSITIONS.values() if not t.on_task]


def task_transitions() -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.on_task]


# The dispatch centre levels whose dispatchers an OWNER relation names.
DISPATCHER_LEVEL = {R.STREET_DISPATCHER: "street", R.DISTRICT_DISPATCHER: "district"}
