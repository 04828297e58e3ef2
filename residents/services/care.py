"""Writes to special-care memberships, their helpers and visits."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.accounts.roles import role_grants
from governance.audit.services import audit_record
from governance.images import check_image
from governance.scoping import perm_name
from residents.choices import CareLevel, EndReason, HelperKind
from residents.models import (
    CareGroup,
    CareHelper,
    CareInterval,
    CareLevelChange,
    CareMembership,
    Resident,
    Visit,
)
from residents.models.care import care_visibility_q, groups_of_assignment, visibility_table
from residents.services.common import Errors, require_scope


def interval_days(group: CareGroup, level: int) -> int:
    interval = CareInterval.objects.filter(group=group, level=level).first()
    if interval is None:
        raise ValidationError(
            {"level": _("No visit interval is set for this group and level; ask an administrator.")}
        )
    return interval.days


def next_due(membership: CareMembership) -> datetime.date:
    """The next visit falls ``interval_days`` after the last visit (or after the start)."""
    since = membership.last_visited_on or membership.started_on
    return since + datetime.timedelta(days=membership.interval_days)


def _require_group_visible(actor, group: CareGroup, resident: Resident, action: str) -> None:
    """The rule the lists use, for one resident and group: some assignment of the actor holds
    the resident's grid and its role (and department type) may see the group."""
    if care_visibility_q(actor, action) is None:  # administrators
        return
    table = visibility_table()
    perm = perm_name(CareMembership, action)
    for assignment in actor.loaded_role_assignments():
        if (
            assignment.area_id
            and role_grants(assignment.role, perm)
            and resident.grid.code.startswith(assignment.area.code)
            and group.pk in groups_of_assignment(table, assignment)
        ):
            return
    raise PermissionDenied(_("Your role may not manage members of this group."))


def helper_candidates(resident: Resident):
    """Staff who may be assigned as helpers: those holding a role over the resident's grid
    (its grid worker, grid leader, community staff, the street's and district's staff)."""
    from governance.accounts.models import User
    from grids.choices import ancestor_codes

    codes = [resident.grid.code, *ancestor_codes(resident.grid.code)]
    return (
        User.objects.filter(is_active=True, role_assignments__area__code__in=codes)
        .distinct()
        .order_by("full_name", "username")
    )


def _check_helper(membership: CareMembership, *, kind: str, user=None, name: str = "",
                  allowed: set[int] | None = None) -> CareHelper:  # fmt: skip
    """One helper, checked: a staff member working where the resident lives, or a named person
    (family member, doctor, officer…)."""
    name = (name or "").strip()
    errors = Errors()
    if kind not in HelperKind.values:
        errors.add("kind", _("Choose who the helper is."))
    if user is None and not name:
        errors.add("name", _("Choose a staff member or write the helper's name."))
    if user is not None and name:
        errors.add("name", _("Either a staff member or a name, not both."))
    if len(name) > 50:
        errors.add("name", _("At most %(n)s characters.") % {"n": 50})
    if user is not None:
        if allowed is None:
            allowed = set(helper_candidates(membership.resident).values_list("pk", flat=True))
        if user.pk not in allowed:
            errors.add(
                "user",
                _("%(name)s does not work where this resident lives.")
                % {"name": user.display_name},
            )
    errors.raise_if_any()
    return CareHelper(membership=membership, kind=kind, user=user, name=name)


def _helpers(membership: CareMembership, helpers) -> None:
    """Replace the helper team (empty rows are skipped)."""
    allowed = None
    rows = []
    for helper in helpers or []:
        user, name = helper.get("user"), (helper.get("name") or "").strip()
        if user is None and not name:
            continue
        if user is not None and allowed is None:
            allowed = set(helper_candidates(membership.resident).values_list("pk", flat=True))
        try:
            rows.append(
                _check_helper(
                    membership, kind=helper["kind"], user=user, name=name, allowed=allowed
                )
            )
        except ValidationError as exc:
            raise ValidationError({"helpers": [m for ms in exc.message_dict.values()
                                               for m in ms]}) from None  # fmt: skip
    membership.helpers.all().delete()
    CareHelper.objects.bulk_create(rows)


@transaction.atomic
def membership_create(
    *,
    actor,
    resident: Resident,
    group: CareGroup,
    level: int,
    started_on: datetime.date,
    notes: str = "",
    helpers=(),
) -> CareMembership:
    """Enrol a resident in a special-care group; the visit interval follows group and level."""
    resident = Resident.objects.select_related("grid").get(pk=resident.pk)
    require_scope(actor, CareMembership, "add", resident.grid.code)
    _require_group_visible(actor, group, resident, "add")
    errors = Errors()
    if not group.is_active:
        errors.add("group", _("This group is no longer in use."))
    if started_on and started_on > timezone.localdate():
        errors.add("started_on", _("This date is in the future."))
    if CareMembership.objects.filter(
        resident=resident, group=group, ended_on__isnull=True
    ).exists():
        errors.add("group", _("%(name)s is already in this group.") % {"name": resident.name})
    errors.raise_if_any()
    membership = CareMembership(
        resident=resident, group=group, level=level, started_on=started_on,
        interval_days=interval_days(group, level), notes=(notes or "").strip(), created_by=actor,
    )  # fmt: skip
    membership.next_due_on = next_due(membership)
    membership.full_clean()
    membership.save()
    _helpers(membership, helpers)
    audit_record(
        actor=actor, action="care.enrol", target=membership,
        detail={"group": group.code, "level": level},
    )  # fmt: skip
    return membership


def _locked(membership: CareMembership, actor, action: str = "change") -> CareMembership:
    """The membership, locked, after checking the actor may change it (scope and group)."""
    membership = (
        CareMembership.objects.select_for_update(of=("self",))
        .select_related("resident__grid", "group")
        .get(pk=membership.pk)
    )
    require_scope(actor, CareMembership, action, membership.resident.grid.code)
    _require_group_visible(actor, membership.group, membership.resident, action)
    return membership


def _require_open(membership: CareMembership, field: str = "membership") -> None:
    if membership.ended_on is not None:
        raise ValidationError({field: _("This membership has ended.")})


def _apply_level(membership: CareMembership, *, actor, level: int, reason: str) -> None:
    """Set the level; the interval follows the group and level, the next visit falls due one
    new interval after the last visit (or the start); the change goes into the history."""
    if level not in CareLevel.values:
        raise ValidationError({"level": _("Choose a level.")})
    days = interval_days(membership.group, level)
    CareLevelChange.objects.create(
        membership=membership, from_level=membership.level, to_level=level, interval_days=days,
        reason=reason, changed_by=actor,
    )  # fmt: skip
    membership.level = level
    membership.interval_days = days
    membership.next_due_on = next_due(membership)


def _clean_reason(reason: str, *, required: bool = True, field: str = "reason") -> str:
    reason = " ".join((reason or "").split())
    if required and len(reason) < 2:
        raise ValidationError({field: _("Say why.")})
    if len(reason) > 200:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": 200}})
    return reason


@transaction.atomic
def membership_change_level(
    *, actor, membership: CareMembership, level: int, reason: str
) -> CareMembership:
    """Raise or lower the care or risk level (with a reason, kept in the level history); the
    visit interval and the next due date follow the new level at once."""
    membership = _locked(membership, actor)
    _require_open(membership, "level")
    reason = _clean_reason(reason)
    if level == membership.level:
        raise ValidationError({"level": _("The membership is already at this level.")})
    before = membership.level
    _apply_level(membership, actor=actor, level=level, reason=reason)
    membership.save(update_fields=["level", "interval_days", "next_due_on", "updated_at"])
    audit_record(
        actor=actor, action="care.level", target=membership,
        detail={"from": before, "to": level, "days": membership.interval_days},
    )  # fmt: skip
    return membership


@transaction.atomic
def membership_update(
    *, actor, membership: CareMembership, level: int | None = None, notes: str | None = None,
    helpers=None, reason: str = "",
) -> CareMembership:  # fmt: skip
    """Change the level (and so the interval), the notes or the whole helper team."""
    membership = _locked(membership, actor)
    _require_open(membership)
    changed = []
    if level is not None and level != membership.level:
        _apply_level(
            membership, actor=actor, level=level,
            reason=_clean_reason(reason, required=False) or _("Level changed"),
        )  # fmt: skip
        changed.append("level")
    if notes is not None and notes.strip() != membership.notes:
        membership.notes = notes.strip()
        changed.append("notes")
    membership.full_clean()
    membership.save()
    if helpers is not None:
        _helpers(membership, helpers)
        changed.append("helpers")
    if changed:
        audit_record(
            actor=actor, action="care.update", target=membership, detail={"fields": changed}
        )
    return membership


@transaction.atomic
def membership_helper_add(
    *, actor, membership: CareMembership, kind: str, user=None, name: str = ""
) -> CareHelper:
    """Add one helper to the team: a staff member with a role over the resident's area, or a
    named person (for the "3 helpers for 1" team: a family member, a doctor, a cadre or
    officer)."""
    membership = _locked(membership, actor)
    _require_open(membership)
    helper = _check_helper(membership, kind=kind, user=user, name=name)
    team = membership.helpers.all()
    if user is not None and team.filter(user=user).exists():
        raise ValidationError({"user": _("%(name)s is already a helper.") % {
            "name": user.display_name}})  # fmt: skip
    if user is None and team.filter(kind=kind, name=helper.name).exists():
        raise ValidationError({"name": _("%(name)s is already a helper.") % {"name": helper.name}})
    if team.count() >= 10:
        raise ValidationError({"name": _("A team has at most 10 helpers.")})
    helper.save()
    audit_record(
        actor=actor, action="care.helper_add", target=membership,
        detail={"kind": kind, "staff": user.pk if user else None},
    )  # fmt: skip
    return helper


@transaction.atomic
def membership_helper_remove(*, actor, membership: CareMembership, helper: CareHelper) -> None:
    """Take one helper off the team."""
    membership = _locked(membership, actor)
    _require_open(membership)
    helper = CareHelper.objects.filter(pk=helper.pk, membership=membership).first()
    if helper is None:
        raise ValidationError({"helper": _("This helper is not on the team.")})
    audit_record(
        actor=actor, action="care.helper_remove", target=membership,
        detail={"kind": helper.kind, "staff": helper.user_id},
    )  # fmt: skip
    helper.delete()


def missing_team_roles(membership: CareMembership, helpers) -> list[str]:
    """For severe mental illness, which of the "3 helpers for 1" team (a family member, a
    doctor, a cadre or police officer) is still missing; empty for other groups."""
    if membership.group.code != "severe_mental_illness":
        return []
    kinds = {h.kind for h in helpers}
    missing = []
    if HelperKind.FAMILY not in kinds:
        missing.append(HelperKind.FAMILY.label)
    if HelperKind.DOCTOR not in kinds:
        missing.append(HelperKind.DOCTOR.label)
    if not kinds & {HelperKind.CADRE, HelperKind.POLICE}:
        missing.append(_("a cadre or police officer"))
    return [str(m) for m in missing]


@transaction.atomic
def membership_end(
    *, actor, membership: CareMembership, ended_on: datetime.date, reason: str = EndReason.OTHER,
    note: str = "",
) -> CareMembership:  # fmt: skip
    """Close a membership (the person left the group) with the date and why; it no longer
    falls due."""
    membership = _locked(membership, actor)
    errors = Errors()
    if membership.ended_on is not None:
        errors.add("ended_on", _("This membership has already ended."))
    elif ended_on is None:
        errors.add("ended_on", _("Give the date."))
    elif ended_on < membership.started_on:
        errors.add("ended_on", _("That is before the membership started."))
    elif ended_on > timezone.localdate():
        errors.add("ended_on", _("This date is in the future."))
    if reason not in EndReason.values:
        errors.add("reason", _("Choose why the membership ends."))
    note = " ".join((note or "").split())
    if reason == EndReason.OTHER and len(note) < 2:
        errors.add("note", _("Say why the membership ends."))
    if len(note) > 200:
        errors.add("note", _("At most %(n)s characters.") % {"n": 200})
    errors.raise_if_any()
    membership.ended_on = ended_on
    membership.end_reason = reason
    membership.end_note = note
    membership.save(update_fields=["ended_on", "end_reason", "end_note", "updated_at"])
    audit_record(actor=actor, action="care.end", target=membership, detail={"reason": reason})
    return membership


def membership_end_all(*, actor, resident: Resident, ended_on: datetime.date, reason: str) -> int:
    """End every open membership of a resident who moved out or died (whoever may see the
    groups: the status change decides), each audited; the number ended."""
    open_ones = list(
        CareMembership.objects.select_for_update().filter(resident=resident, ended_on__isnull=True)
    )
    for membership in open_ones:
        membership.ended_on = max(ended_on, membership.started_on)
        membership.end_reason = reason
        membership.save(update_fields=["ended_on", "end_reason", "updated_at"])
        audit_record(actor=actor, action="care.end", target=membership, detail={"reason": reason})
    return len(open_ones)


@transaction.atomic
def visit_record(
    *,
    actor,
    membership: CareMembership,
    visited_at: datetime.datetime,
    method: str,
    finding: str,
    photo=None,
) -> Visit:
    """Record a visit; the membership's next visit falls due one interval after it."""
    membership = (
        CareMembership.objects.select_for_update(of=("self",))
        .select_related("resident__grid", "group")
        .get(pk=membership.pk)
    )
    require_scope(actor, Visit, "add", membership.resident.grid.code)
    _require_group_visible(actor, membership.group, membership.resident, "view")
    errors = Errors()
    if membership.ended_on is not None:
        errors.add("membership", _("This membership has ended."))
    if visited_at is None:
        errors.add("visited_at", _("Give the time of the visit."))
    elif visited_at > timezone.now() + datetime.timedelta(minutes=5):
        errors.add("visited_at", _("The visit cannot be in the future."))
    elif timezone.localdate(visited_at) < membership.started_on:
        errors.add("visited_at", _("The visit is before the membership started."))
    if not (finding or "").strip():
        errors.add("finding", _("Write down what you found."))
    checked = errors.check("photo", check_image, photo) if photo else None
    errors.raise_if_any()
    visit = Visit(
        membership=membership, visitor=actor, visited_at=visited_at, method=method,
        finding=finding.strip(),
    )  # fmt: skip
    visit.full_clean(exclude=["photo"])
    if photo:
        # Named by what the check found, never by the client's file name: the photo view
        # serves it with the content type its extension says.
        photo.seek(0)
        visit.photo.save(f"visit.{checked.extension}", photo, save=False)
    visit.save()
    day = timezone.localdate(visited_at)
    if membership.last_visited_on is None or day > membership.last_visited_on:
        membership.last_visited_on = day
        membership.next_due_on = next_due(membership)
        membership.save(update_fields=["last_visited_on", "next_due_on", "updated_at"])
    audit_record(actor=actor, action="care.visit", target=membership, detail={"method": method})
    return visit


@transaction.atomic
def interval_set(*, actor, interval: CareInterval, days: int) -> CareInterval:
    """Change how often a group and level is visited; open memberships follow at once."""
    if not actor.is_superuser and not actor.has_perm("residents.change_careinterval"):
        raise PermissionDenied(_("Only administrators set visit intervals."))
    if not 1 <= days <= 366:
        raise ValidationError({"days": _("Between 1 and 366 days.")})
    interval.days = days
    interval.save()
    open_ones = list(
        CareMembership.objects.select_for_update().filter(
            group_id=interval.group_id, level=interval.level, ended_on__isnull=True
        )
    )
    for membership in open_ones:
        membership.interval_days = days
        membership.next_due_on = next_due(membership)
    CareMembership.objects.bulk_update(open_ones, ["interval_days", "next_due_on"], batch_size=500)
    audit_record(
        actor=actor, action="care.interval_set", target=interval.group,
        detail={"level": interval.level, "days": days, "memberships": len(open_ones)},
    )  # fmt: skip
    return interval
