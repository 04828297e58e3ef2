"""Transitions of a unit's task: sign for it, record progress, ask for more time (and the
dispatcher's decision), send it back, report the result. The event's own status follows from
its tasks (``settle``): a joint event is handled only when every task is done."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.choices import ExtensionStatus, PhotoKind
from events.models import Event, ExtensionRequest, Task
from events.services import clocks, notify
from events.services.common import (
    begin,
    check_photos,
    clock,
    files_removed_on_failure,
    log,
    save_photos,
    sync,
)
from events.workflow import TASK_OPEN, EventStatus, TaskStatus


def settle(event: Event, *, now) -> str:
    """Derive the event's status from its tasks, bring its clock in line and save it.

    1. A task still awaiting sign-for or in progress: the event is with the units (in
       progress once any unit signed, else awaiting sign-for).
    2. None open, but a send-back nobody re-routed yet: back to the dispatcher (sent back).
    3. Otherwise every remaining task is done: handled, awaiting verification.
    4. The clock follows: the tasks' worst colour while units hold it, else its own clock
       (saved even when the status stays: a finished task no longer counts).
    """
    tasks = list(event.tasks.select_related("unit"))
    live = [t for t in tasks if not (t.status == TaskStatus.SENT_BACK and t.rerouted)]
    live = [t for t in live if t.status != TaskStatus.CANCELLED]
    if any(t.status in TASK_OPEN for t in live):
        signed = any(t.status in (TaskStatus.IN_PROGRESS, TaskStatus.DONE) for t in live)
        status = EventStatus.IN_PROGRESS if signed else EventStatus.DISPATCHED
    elif any(t.status == TaskStatus.SENT_BACK for t in live):
        status = EventStatus.SENT_BACK
    else:
        status = EventStatus.HANDLED
    before = event.status
    if status != event.status:
        if status == EventStatus.IN_PROGRESS:
            event.handle_started_at = now
        elif status == EventStatus.HANDLED:
            event.verify_started_at = now
            done = [t for t in live if t.status == TaskStatus.DONE]
            event.result = "\n".join(f"{t.unit.name}: {t.result}" for t in done)
        event.status = status
    clocks.event_clock(event, before=before, now=now)
    event.save()
    return status


@transaction.atomic
def task_sign(*, event: Event, task: Task | int, actor, now=None) -> Event:
    """The unit signs for its task (签收): the handling clock starts."""
    now = clock(now)
    locked, task = begin("sign", event=event, task=task, actor=actor, now=now)
    before = locked.status
    task.status = TaskStatus.IN_PROGRESS
    task.signed_by = actor
    task.handle_started_at = now
    clocks.task_clock(task, event=locked, now=now)  # the handling clock starts
    task.save()
    settle(locked, now=now)
    log(locked, "sign", actor=actor, now=now, from_status=before, task=task)
    sync(event, locked)
    return locked


def task_progress(*, event: Event, task: Task | int, actor, note: str, photos=(), now=None):
    """Record progress on a task (a note, photos) without changing its state."""
    now = clock(now)
    with files_removed_on_failure(), transaction.atomic():
        locked, task = begin("progress", event=event, task=task, actor=actor, now=now)
        if not (note or "").strip():
            raise ValidationError({"note": _("Write what was done.")})
        checked = check_photos(photos)
        entry = log(
            locked,
            "progress",
            actor=actor,
            now=now,
            from_status=locked.status,
            task=task,
            comment=note.strip(),
        )
        save_photos(locked, checked, kind=PhotoKind.RESULT, entry=entry, actor=actor, now=now)
        sync(event, locked)
        return locked


@transaction.atomic
def task_request_extension(
    *, event: Event, task: Task | int, actor, reason: str, new_due, now=None
) -> ExtensionRequest:
    """Ask the dispatcher for more time, with a reason and a new date (延期申请)."""
    now = clock(now)
    locked, task = begin("request_extension", event=event, task=task, actor=actor, now=now)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the extension.")
    if new_due is None or new_due <= now:
        errors["new_due"] = _("The new date must be in the future.")
    elif task.deadline is not None and new_due <= task.deadline:
        errors["new_due"] = _("An extension ends later than the current deadline, %(due)s.") % {
            "due": f"{timezone.localtime(task.deadline):%Y-%m-%d %H:%M}"
        }
    if task.extensions.filter(status=ExtensionStatus.PENDING).exists():
        errors["reason"] = _("An extension request for this task is already waiting.")
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest.objects.create(
        task=task, requested_by=actor, reason=reason.strip(), new_due=new_due, created_at=now
    )
    log(
        locked,
        "request_extension",
        actor=actor,
        now=now,
        from_status=locked.status,
        task=task,
        comment=reason.strip(),
        data={"new_due": timezone.localtime(new_due).isoformat()},
    )
    notify.to_dispatchers(
        "extension_requested", locked, locked.owner_at(now), actor=actor, unit=task.unit.name
    )
    sync(event, locked)
    return request


@transaction.atomic
def task_decide_extension(
    *, event: Event, task: Task | int, actor, approve: bool, comment: str = "", now=None
) -> ExtensionRequest:
    """The dispatcher approves (the task's due date moves) or refuses a pending extension."""
    now = clock(now)
    locked, task = begin("decide_extension", event=event, task=task, actor=actor, now=now)
    request = task.extensions.select_for_update().filter(status=ExtensionStatus.PENDING).first()
    if request is None:
        raise ValidationError(_("No extension request is waiting on this task."))
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_comment = (comment or "").strip()
    request.save()
    if approve:
        if request.new_due <= now:
            raise ValidationError(
                _("The requested date has passed: refuse this request and ask for a new one.")
            )
        task.extended_until = request.new_due
        clocks.task_extend(task, event=locked, due=request.new_due, now=now)
        task.save()
        clocks.event_clock(locked, before=locked.status, now=now)  # its colour may fall
        locked.save()
    action = "extension_approved" if approve else "extension_refused"
    log(
        locked,
        action,
        actor=actor,
        now=now,
        from_status=locked.status,
        task=task,
        comment=request.decision_comment,
        data={"new_due": timezone.localtime(request.new_due).isoformat()},
    )
    decision = _("approved") if approve else _("refused")
    notify.to_units("extension_decided", locked, [task.unit_id], actor=actor, decision=decision)
    sync(event, locked)
    return request


@transaction.atomic
def task_send_back(*, event: Event, task: Task | int, actor, reason: str, now=None) -> Event:
    """The unit returns a task that is not theirs (退单); the dispatcher routes it again and
    the event's other tasks go on."""
    now = clock(now)
    locked, task = begin("send_back", event=event, task=task, actor=actor, now=now)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the task is not your unit's.")})
    before = locked.status
    task.status = TaskStatus.SENT_BACK
    task.send_back_reason = reason.strip()
    task.finished_at = now
    clocks.task_clock(task, event=locked, now=now)
    task.save()
    task.extensions.filter(status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decided_at=now
    )
    settle(locked, now=now)
    log(
        locked,
        "send_back",
        actor=actor,
        now=now,
        from_status=before,
        task=task,
        comment=task.send_back_reason,
    )
    notify.to_dispatchers(
        "sent_back", locked, locked.owner_at(now), actor=actor, unit=task.unit.name
    )
    sync(event, locked)
    return locked


def task_complete(*, event: Event, task: Task | int, actor, result: str, photos=(), now=None):
    """The unit reports its result with evidence (办结); when it is the last open task, the
    event is handled and waits for verification on site."""
    now = clock(now)
    with files_removed_on_failure(), transaction.atomic():
        locked, task = begin("complete", event=event, task=task, actor=actor, now=now)
        if not (result or "").strip():
            raise ValidationError({"result": _("Describe the result.")})
        checked = check_photos(photos)
        before = locked.status
        task.status = TaskStatus.DONE
        task.result = result.strip()
        task.finished_at = now
        clocks.task_clock(task, event=locked, now=now)
        task.save()
        task.extensions.filter(status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.REFUSED, decided_at=now
        )
        settle(locked, now=now)
        entry = log(
            locked,
            "complete",
            actor=actor,
            now=now,
            from_status=before,
            task=task,
            comment=task.result,
        )
        save_photos(locked, checked, kind=PhotoKind.RESULT, entry=entry, actor=actor, now=now)
        if locked.status == EventStatus.HANDLED:
            notify.to_grid("handled", locked, actor=actor)
        sync(event, locked)
        return locked
