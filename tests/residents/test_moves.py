"""Moving residents between houses and grids, and moving out, death and return, with dates.

A grid worker moves people inside their grids, community staff inside their community, a
street dispatcher inside their street (without editing records); a target outside the scope is
"not found" on the page and in the API, and nothing changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.audit.models import AuditEntry
from residents import services
from residents.models import CareMembership, House, Resident
from tests.residents.conftest import make_id


@pytest.fixture
def house_a2(registry, world):
    """A house in grid A2 (same community as grid A, same street)."""
    from tests.residents.conftest import POINT_A2

    building = services.building_create(
        actor=world.users["admin"], name="2栋", lng=POINT_A2[0], lat=POINT_A2[1], floors=6
    )
    assert building.grid == world.grid_a2
    return services.house_create(actor=world.users["admin"], building=building, floor=2, room="201")


def _move_page(client, resident, house, **extra):
    data = {"grid": house.building.grid_id, "building": house.building_id, "unit": house.unit,
            "house": house.pk, "moved_on": str(timezone.localdate()), **extra}  # fmt: skip
    return client.post(f"/residents/people/{resident.pk}/move/", data)


def test_community_staff_move_a_whole_household_to_another_grid_of_their_community(
    registry, world, house_a2, client_for
):
    response = _move_page(client_for("community"), registry.resident_a, house_a2,
                          with_household="on")  # fmt: skip

    assert response.status_code == 302
    moved = Resident.objects.get(pk=registry.resident_a.pk)
    tenant = Resident.objects.get(pk=registry.extra["tenant"].pk)
    assert (moved.grid, moved.house, moved.moved_in_on) == (
        world.grid_a2, house_a2, timezone.localdate())  # fmt: skip
    assert (tenant.house, tenant.household) == (house_a2, moved.household)
    assert moved.household.house == house_a2
    assert AuditEntry.objects.filter(action="resident.move").count() == 2
    # The membership follows the resident: grid A's worker no longer sees it, A2's scope does.
    assert not CareMembership.objects.restrict(world.users["worker"]).filter(
        resident=moved).exists()  # fmt: skip


def test_a_head_moving_alone_must_hand_the_household_over_first(registry, house_a2, world):
    with pytest.raises(ValidationError) as caught:
        services.resident_move(actor=world.users["community"], resident=registry.resident_a,
                               house=house_a2)  # fmt: skip
    assert "with_household" in caught.value.message_dict
    assert Resident.objects.get(pk=registry.resident_a.pk).house == registry.house_a


def test_a_grid_worker_cannot_move_anyone_out_of_their_grid(registry, house_a2, client_for):
    client = client_for("worker")
    tenant = registry.extra["tenant"]

    page = _move_page(client, tenant, house_a2)
    api = client.post(f"/api/v1/residents/{tenant.pk}/move/", {"house": house_a2.pk},
                      content_type="application/json")  # fmt: skip
    unknown = client.post(f"/api/v1/residents/{tenant.pk}/move/", {"house": 999999},
                          content_type="application/json")  # fmt: skip
    choices = client.get(f"/residents/people/{tenant.pk}/move/").context["grids"]

    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json() == unknown.json()  # the same answer as a house that does not exist
    assert list(choices) == [registry.world.grid_a]
    assert Resident.objects.get(pk=tenant.pk).house == registry.house_a


def test_a_street_dispatcher_moves_inside_their_street_but_does_not_edit_records(
    registry, house_a2, world, client_for
):
    client = client_for("street")
    tenant = registry.extra["tenant"]

    assert client.get(f"/residents/people/{tenant.pk}/edit/").status_code == 403
    assert _move_page(client, tenant, registry.house_b).status_code == 404  # street B
    response = client.post(
        f"/api/v1/residents/{tenant.pk}/move/",
        {"house": house_a2.pk, "relation": "head", "new_household": True},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 200, response.content
    moved = Resident.objects.get(pk=tenant.pk)
    assert (moved.house, moved.household.head) == (house_a2, moved)
    assert client_for("worker2").post(
        f"/api/v1/residents/{registry.resident_b.pk}/move/", {"house": house_a2.pk},
        content_type="application/json").status_code == 404  # fmt: skip


def test_the_scope_is_checked_again_after_the_write(registry, house_a2, world, monkeypatch):
    """If the record ended up outside the actor's scope (here: the target check is fooled),
    the service refuses before commit and nothing is saved."""
    from residents.services import people

    real = people.move_scope
    calls = {"n": 0}

    class Fooled:
        def __init__(self, scope):
            self.scope = scope

        def covers(self, code):
            calls["n"] += 1
            return calls["n"] <= 2 or self.scope.covers(code)

    monkeypatch.setattr(people, "move_scope", lambda actor: Fooled(real(actor)))
    tenant = registry.extra["tenant"]
    with pytest.raises(PermissionDenied):
        services.resident_move(actor=world.users["worker"], resident=tenant, house=house_a2)
    assert Resident.objects.get(pk=tenant.pk).house == registry.house_a


def test_moving_out_is_recorded_with_the_date_and_ends_special_care(registry, world, client_for):
    resident = registry.resident_b
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for("worker2").post(
        f"/residents/people/{resident.pk}/status/",
        {"status": "moved_out", "on": str(yesterday), "note": "迁往武汉市洪山区"},
    )  # fmt: skip

    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.status, resident.moved_out_on, resident.moved_out_to) == (
        "moved_out", yesterday, "迁往武汉市洪山区")  # fmt: skip
    membership = CareMembership.objects.get(pk=registry.membership_b.pk)
    assert (membership.ended_on, membership.end_reason) == (yesterday, "moved_out")
    assert "迁往武汉市洪山区" in client_for("worker2").get(
        f"/residents/people/{resident.pk}/").content.decode()  # fmt: skip


def test_a_death_is_recorded_with_its_date_and_a_return_makes_the_resident_present_again(
    registry, world
):
    worker2 = world.users["worker2"]
    day = timezone.localdate() - datetime.timedelta(days=3)
    services.resident_set_status(actor=worker2, resident=registry.resident_b, status="deceased",
                                 on=day)  # fmt: skip
    resident = Resident.objects.get(pk=registry.resident_b.pk)
    assert (resident.status, resident.died_on) == ("deceased", day)
    assert CareMembership.objects.get(pk=registry.membership_b.pk).end_reason == "deceased"

    services.resident_set_status(actor=worker2, resident=resident, status="present",
                                 on=timezone.localdate())  # fmt: skip
    resident.refresh_from_db()
    assert (resident.status, resident.died_on, resident.moved_in_on) == (
        "present", None, timezone.localdate())  # fmt: skip


def test_a_status_date_in_the_future_or_a_head_with_members_is_refused(registry, world):
    worker = world.users["worker"]
    with pytest.raises(ValidationError) as caught:
        services.resident_set_status(
            actor=worker, resident=registry.extra["tenant"], status="moved_out",
            on=timezone.localdate() + datetime.timedelta(days=1),
        )  # fmt: skip
    assert "on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.resident_set_status(actor=worker, resident=registry.resident_a,
                                     status="moved_out", on=timezone.localdate())  # fmt: skip
    assert "status" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.resident_set_status(actor=world.users["worker2"], resident=registry.resident_a,
                                     status="moved_out", on=timezone.localdate())  # fmt: skip


def test_the_api_records_moving_out(registry, client_for):
    response = client_for("worker").post(
        f"/api/v1/residents/{registry.extra['tenant'].pk}/set-status/",
        {"status": "moved_out", "on": str(timezone.localdate()), "note": "回老家"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "moved_out"


def test_a_house_in_a_new_building_of_the_grid_can_be_chosen_step_by_step(
    registry, world, client_for
):
    client = client_for("worker")
    tenant = registry.extra["tenant"]
    house = House.objects.create(building=registry.building_a, unit=2, floor=5, room="502")
    url = f"/residents/people/{tenant.pk}/move/"

    first = client.get(url)
    second = client.get(f"{url}?grid={world.grid_a.pk}&building={registry.building_a.pk}")
    third = client.get(f"{url}?grid={world.grid_a.pk}&building={registry.building_a.pk}&unit=2")

    assert first.context["grid"] == world.grid_a  # their own grid is preselected
    assert second.context["units"] == [1, 2]
    assert list(third.context["rooms"]) == [house]
    assert make_id()  # the conftest helper stays importable for other tests
