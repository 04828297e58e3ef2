"""Households (户): exactly one head (the database refuses a second), a head is replaced before
they leave, members come and go, a member splits off into a household of their own; the page
and the API do it through the same services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from residents import services
from residents.choices import RegistrationType, Relation
from residents.models import Household, Resident
from tests.residents.conftest import make_id


@pytest.fixture
def family(registry, world):
    """张三's household in house A: 张三 (head), 王五 (tenant), and a new spouse 刘梅."""
    spouse = services.resident_create(
        actor=world.users["admin"], house=registry.house_a, name="刘梅",
        id_number=make_id("19870909", 555), ethnicity="01",
        registration_type=RegistrationType.LOCAL, relation=Relation.SPOUSE,
    )  # fmt: skip
    return registry.resident_a.household, registry.resident_a, spouse, registry.extra["tenant"]


def test_the_database_refuses_a_second_head_in_a_household(family):
    household, _head, spouse, _tenant = family

    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.filter(pk=spouse.pk).update(relation=Relation.HEAD)

    assert Resident.objects.filter(household=household, relation=Relation.HEAD).count() == 1


def test_setting_a_new_head_steps_the_former_head_down(family, world):
    household, head, spouse, _tenant = family

    services.household_set_head(
        actor=world.users["worker"], household=household, head=spouse,
        former_head_relation=Relation.SPOUSE,
    )  # fmt: skip

    household.refresh_from_db()
    assert household.head == spouse
    assert Resident.objects.get(pk=spouse.pk).relation == Relation.HEAD
    assert Resident.objects.get(pk=head.pk).relation == Relation.SPOUSE


def test_the_head_cannot_leave_a_household_that_still_has_members(family, world):
    household, head, _spouse, _tenant = family
    worker = world.users["worker"]

    with pytest.raises(ValidationError, match="head"):
        services.household_remove_member(actor=worker, household=household, resident=head)
    with pytest.raises(ValidationError, match="head"):
        services.household_split(actor=worker, household=household, resident=head)
    with pytest.raises(ValidationError, match="household page"):
        services.resident_update(actor=worker, resident=head, relation=Relation.CHILD)
    assert Household.objects.get(pk=household.pk).head == head


def test_a_member_splits_off_into_a_household_of_their_own(family, world):
    household, _head, _spouse, tenant = family

    new = services.household_split(
        actor=world.users["worker"], household=household, resident=tenant, number="H-2"
    )

    tenant.refresh_from_db()
    assert (tenant.household, tenant.relation, new.head) == (new, Relation.HEAD, tenant)
    assert (new.house, new.number) == (household.house, "H-2")
    assert not Resident.objects.filter(household=household, pk=tenant.pk).exists()


def test_a_resident_added_to_a_household_leaves_their_former_one(family, world, registry):
    household, head, spouse, tenant = family
    worker = world.users["worker"]
    own = services.household_split(actor=worker, household=household, resident=tenant)

    with pytest.raises(ValidationError, match="head"):  # 张三 still heads 刘梅's household
        services.household_add_member(actor=worker, household=own, resident=head,
                                      relation=Relation.OTHER)  # fmt: skip
    services.household_add_member(actor=worker, household=own, resident=spouse,
                                  relation=Relation.SPOUSE)  # fmt: skip

    assert Resident.objects.get(pk=spouse.pk).household == own
    assert Resident.objects.get(pk=spouse.pk).relation == Relation.SPOUSE
    assert list(Resident.objects.filter(household=household)) == [head]


def test_a_household_is_created_in_a_house_with_one_of_its_residents_at_its_head(
    family, world, client_for, registry
):
    _household, _head, _spouse, tenant = family
    client = client_for("worker")

    elsewhere = client.post(
        f"/residents/houses/{registry.house_b.pk}/households/new/", {"head": tenant.pk}
    )
    response = client.post(
        f"/residents/houses/{registry.house_a.pk}/households/new/",
        {"head": tenant.pk, "number": "420502-0007"},
    )  # fmt: skip

    assert elsewhere.status_code == 404
    created = Household.objects.get(number="420502-0007")
    assert response.status_code == 302
    assert response["Location"] == f"/residents/households/{created.pk}/"
    assert created.head == tenant


def test_the_household_page_shows_members_with_their_relation_and_changes_the_head(
    family, client_for
):
    household, head, spouse, _tenant = family
    client = client_for("community")
    url = f"/residents/households/{household.pk}/"

    page = client.get(url)
    assert next(m.name for m in page.context["members"]) == head.name  # the head first
    assert "刘梅" in page.content.decode()
    client.post(url, {"action": "set_head", "head": spouse.pk, "former_head_relation": "spouse"})

    assert Household.objects.get(pk=household.pk).head == spouse
    assert client_for("worker2").get(url).status_code == 404
    assert client_for("street").post(url, {"action": "number", "number": "x"}).status_code == 403


def test_the_household_page_splits_and_removes_members(family, client_for):
    household, _head, spouse, tenant = family
    client = client_for("worker")
    url = f"/residents/households/{household.pk}/"

    client.post(url, {"action": "split", "resident": tenant.pk})
    client.post(url, {"action": "remove_member", "resident": spouse.pk})

    assert Resident.objects.get(pk=tenant.pk).household.head_id == tenant.pk
    assert Resident.objects.get(pk=spouse.pk).household is None
    assert [m.pk for m in client.get(url).context["members"]] == [household.head_id]


def test_the_api_creates_households_and_moves_members(family, client_for, registry):
    household, _head, spouse, tenant = family
    client = client_for("worker")
    base = "/api/v1/households/"

    split = client.post(f"{base}{household.pk}/split/", {"resident": tenant.pk},
                        content_type="application/json")  # fmt: skip
    assert split.status_code == 201, split.content
    new = split.json()["id"]
    added = client.post(f"{base}{new}/add-member/", {"resident": spouse.pk, "relation": "spouse"},
                        content_type="application/json")  # fmt: skip
    head = client.post(f"{base}{new}/set-head/",
                       {"head": spouse.pk, "former_head_relation": "spouse"},
                       content_type="application/json")  # fmt: skip
    other = client_for("worker2").get(f"{base}{household.pk}/")

    assert added.status_code == 200, added.content
    assert {m["name"]: m["relation"] for m in head.json()["members"]} == {
        "刘梅": "head", "王五": "spouse"}  # fmt: skip
    assert head.json()["head"] == spouse.pk
    assert other.status_code == 404


def test_a_worker_cannot_change_a_household_of_another_grid(family, world):
    household, _head, _spouse, _tenant = family
    with pytest.raises(PermissionDenied):
        services.household_update(actor=world.users["worker2"], household=household, number="x")
