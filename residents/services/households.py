"""Writes to households (户): create one, set its head, add and remove members, split a member
off into a new household, renumber it.

A household with members has exactly one head: the database refuses a second one
(``resident_one_head_per_household``), and these services name the new head before the old one
leaves, so a household is never left headless while it has members.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from residents.choices import Relation
from residents.models import House, Household, Resident
from residents.services.common import Errors, require_scope

NUMBER_MAX = 30


def _clean_number(number: str) -> str:
    number = (number or "").strip()
    if len(number) > NUMBER_MAX:
        raise ValidationError({"number": _("At most %(n)s characters.") % {"n": NUMBER_MAX}})
    return number


def _locked_household(actor, household: Household) -> Household:
    household = (
        Household.objects.select_for_update(of=("self",))
        .select_related("grid", "head")
        .get(pk=household.pk)
    )
    require_scope(actor, Household, "change", household.grid.code)
    return household


def _locked_resident(actor, resident: Resident) -> Resident:
    resident = (
        Resident.objects.select_for_update(of=("self",)).select_related("grid").get(pk=resident.pk)
    )
    require_scope(actor, Resident, "change", resident.grid.code)
    return resident


def _leave(resident: Resident, field: str = "resident") -> None:
    """Take ``resident`` out of their household. A head may leave only a household with no
    other member (which stays, empty, without a head)."""
    if resident.household_id is None:
        return
    household = Household.objects.select_for_update().get(pk=resident.household_id)
    if household.head_id == resident.pk:
        others = Resident.objects.filter(household=household).exclude(pk=resident.pk)
        if others.exists():
            raise ValidationError(
                {field: _("%(name)s is the head of another household with members: name a new "
                          "head there first.") % {"name": resident.name}}
            )  # fmt: skip
        Household.objects.filter(pk=household.pk).update(head=None)
    resident.household = None
    resident.relation = Relation.OTHER
    resident.save(update_fields=["household", "relation", "updated_at"])


def _audit(actor, action: str, household: Household, **detail) -> None:
    audit_record(actor=actor, action=f"household.{action}", target=household, detail=detail)


@transaction.atomic
def household_create(*, actor, house: House, head: Resident, number: str = "") -> Household:
    """Start a household in a house with ``head`` at its head (they leave their household)."""
    house = House.objects.select_related("building__grid").get(pk=house.pk)
    grid = house.building.grid
    require_scope(actor, Household, "add", grid.code)
    head = _locked_resident(actor, head)
    number = _clean_number(number)
    if head.house_id != house.pk:
        raise ValidationError(
            {"head": _("%(name)s does not live in this house; move them here first.")
             % {"name": head.name}}
        )  # fmt: skip
    _leave(head, "head")
    household = Household.objects.create(grid=grid, house=house, number=number)
    head.household, head.relation = household, Relation.HEAD
    head.save(update_fields=["household", "relation", "updated_at"])
    household.head = head
    household.save(update_fields=["head"])
    _audit(actor, "create", household, head=head.pk)
    return household


@transaction.atomic
def household_update(*, actor, household: Household, number: str) -> Household:
    """Change the household number."""
    household = _locked_household(actor, household)
    household.number = _clean_number(number)
    household.save(update_fields=["number"])
    _audit(actor, "update", household, fields=["number"])
    return household


@transaction.atomic
def household_set_head(
    *, actor, household: Household, head: Resident, former_head_relation: str = Relation.OTHER
) -> Household:
    """Make a member the head; the former head stays a member with the relation given."""
    household = _locked_household(actor, household)
    head = _locked_resident(actor, head)
    errors = Errors()
    if head.household_id != household.pk:
        errors.add("head", _("%(name)s is not a member of this household.") % {"name": head.name})
    elif household.head_id == head.pk:
        errors.add("head", _("%(name)s is already the head.") % {"name": head.name})
    if former_head_relation not in Relation.values or former_head_relation == Relation.HEAD:
        errors.add("former_head_relation", _("Choose the former head's relation to the new head."))
    errors.raise_if_any()
    former = household.head
    # The former head steps down first: the database never holds two heads.
    Resident.objects.filter(household=household, relation=Relation.HEAD).update(
        relation=former_head_relation
    )
    Resident.objects.filter(pk=head.pk).update(relation=Relation.HEAD)
    household.head = head
    household.save(update_fields=["head"])
    _audit(actor, "set_head", household, head=head.pk, former=former.pk if former else None)
    return household


@transaction.atomic
def household_add_member(
    *, actor, household: Household, resident: Resident, relation: str
) -> Resident:
    """Add a resident to the household with their relation to its head (they leave their
    former household). An empty household's first member becomes its head."""
    household = _locked_household(actor, household)
    resident = _locked_resident(actor, resident)
    errors = Errors()
    if resident.household_id == household.pk:
        errors.add("resident", _("%(name)s is already a member.") % {"name": resident.name})
    if relation not in Relation.values:
        errors.add("relation", _("Choose the relation to the head of household."))
    empty = not Resident.objects.filter(household=household).exists()
    if relation == Relation.HEAD and not empty:
        errors.add(
            "relation",
            _("The household has a head; add the member first, then make them the head."),
        )
    errors.raise_if_any()
    _leave(resident)
    resident.household = household
    resident.relation = Relation.HEAD if empty else relation
    resident.save(update_fields=["household", "relation", "updated_at"])
    if empty:
        household.head = resident
        household.save(update_fields=["head"])
    _audit(actor, "add_member", household, resident=resident.pk, relation=resident.relation)
    return resident


@transaction.atomic
def household_remove_member(*, actor, household: Household, resident: Resident) -> Resident:
    """Take a member out of the household (they belong to none afterwards). The head goes
    last: name a new head first."""
    household = _locked_household(actor, household)
    resident = _locked_resident(actor, resident)
    if resident.household_id != household.pk:
        raise ValidationError(
            {"resident": _("%(name)s is not a member of this household.")
             % {"name": resident.name}}
        )  # fmt: skip
    _leave(resident)
    _audit(actor, "remove_member", household, resident=resident.pk)
    return resident


@transaction.atomic
def household_split(
    *, actor, household: Household, resident: Resident, number: str = ""
) -> Household:
    """Split a member off into a new household of the same house, with them at its head
    (分户)."""
    household = _locked_household(actor, household)
    resident = _locked_resident(actor, resident)
    number = _clean_number(number)
    if resident.household_id != household.pk:
        raise ValidationError(
            {"resident": _("%(name)s is not a member of this household.")
             % {"name": resident.name}}
        )  # fmt: skip
    if household.head_id == resident.pk:
        raise ValidationError(
            {"resident": _("The head stays with the household; name a new head first, or "
                           "split the other members off.")}
        )  # fmt: skip
    require_scope(actor, Household, "add", household.grid.code)
    new = Household.objects.create(
        grid=household.grid, house=household.house, number=number, head=None
    )
    resident.household, resident.relation = new, Relation.HEAD
    resident.save(update_fields=["household", "relation", "updated_at"])
    new.head = resident
    new.save(update_fields=["head"])
    _audit(actor, "split", household, resident=resident.pk, new_household=new.pk)
    _audit(actor, "create", new, head=resident.pk, split_from=household.pk)
    return new
