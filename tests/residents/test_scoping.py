"""Every registry page and endpoint, as every persona: exactly the status its scope allows.

Out of the view scope is 404 (existence does not leak); visible but not allowed is 403; a role
without the permission at all is 403. Writes across grids are refused by URL, API and service.
"""

import pytest
from django.core.exceptions import PermissionDenied

from residents import services
from residents.models import Resident
from tests.factories import PERSONAS

STAFF = set(PERSONAS) - {"anonymous"}
# Who holds each permission somewhere (residents.RESIDENTS_GRANTS; admin holds everything).
VIEW_RESIDENTS = {"worker", "worker2", "community", "street", "district", "leader", "admin"}
VIEW_PLACES = VIEW_RESIDENTS | {"dept"}  # buildings, houses, venues, care memberships
WRITE = {"worker", "worker2", "community", "admin"}
ENROL = {"community", "admin"}
IMPORT = {"community", "admin"}
# Whose scope reaches grid A (street A, community A) and grid B (street B).
IN_A = {"worker", "community", "street", "district", "leader", "dept", "admin"}
IN_B = {"worker2", "district", "leader", "admin"}


def status(holders: set[str], scope: set[str], allowed: set[str] | None = None) -> dict:
    """200 for those who hold the permission, see the object and may do the action; 404 for
    holders of the view permission who cannot see it; 403 for everyone else."""
    allowed = holders if allowed is None else allowed
    result = {}
    for persona in STAFF:
        if persona in holders and persona in scope and persona in allowed:
            result[persona] = 200
        elif persona in holders and persona not in scope:
            result[persona] = 404
        else:
            result[persona] = 403
    return result


def everyone(holders: set[str]) -> dict:
    return {p: 200 if p in holders else 403 for p in STAFF}


R = "registry"
ROWS = [
    ("resident list", lambda r: "/residents/", everyone(VIEW_RESIDENTS)),
    ("resident search", lambda r: "/residents/?q=zs", everyone(VIEW_RESIDENTS)),
    ("resident A", lambda r: f"/residents/people/{r.resident_a.pk}/",
     status(VIEW_RESIDENTS, IN_A)),
    ("resident B", lambda r: f"/residents/people/{r.resident_b.pk}/",
     status(VIEW_RESIDENTS, IN_B)),
    ("edit resident A", lambda r: f"/residents/people/{r.resident_a.pk}/edit/",
     status(VIEW_RESIDENTS, IN_A, WRITE)),
    ("edit resident B", lambda r: f"/residents/people/{r.resident_b.pk}/edit/",
     status(VIEW_RESIDENTS, IN_B, WRITE)),
    ("grids", lambda r: "/residents/grids/", everyone(VIEW_PLACES)),
    ("grid A", lambda r: f"/residents/grids/{r.world.grid_a.pk}/", status(VIEW_PLACES, IN_A)),
    ("grid B", lambda r: f"/residents/grids/{r.world.grid_b.pk}/", status(VIEW_PLACES, IN_B)),
    ("new building in A", lambda r: f"/residents/grids/{r.world.grid_a.pk}/buildings/new/",
     {**status(WRITE, IN_A), "worker2": 404}),
    ("building A", lambda r: f"/residents/buildings/{r.building_a.pk}/",
     status(VIEW_PLACES, IN_A)),
    ("edit building A", lambda r: f"/residents/buildings/{r.building_a.pk}/edit/",
     status(VIEW_PLACES, IN_A, WRITE)),
    ("new house in A", lambda r: f"/residents/buildings/{r.building_a.pk}/houses/new/",
     status(VIEW_PLACES, IN_A, WRITE)),
    ("house A", lambda r: f"/residents/houses/{r.house_a.pk}/", status(VIEW_PLACES, IN_A)),
    ("house B", lambda r: f"/residents/houses/{r.house_b.pk}/", status(VIEW_PLACES, IN_B)),
    ("edit house A", lambda r: f"/residents/houses/{r.house_a.pk}/edit/",
     status(VIEW_PLACES, IN_A, WRITE)),
    ("new resident in house A", lambda r: f"/residents/houses/{r.house_a.pk}/residents/new/",
     status(VIEW_PLACES, IN_A, WRITE)),
    ("new resident in house B", lambda r: f"/residents/houses/{r.house_b.pk}/residents/new/",
     status(VIEW_PLACES, IN_B, WRITE)),
    ("new rental in house A", lambda r: f"/residents/houses/{r.house_a.pk}/rentals/new/",
     status(VIEW_PLACES, IN_A, WRITE)),
    ("rentals", lambda r: "/residents/rentals/?state=all", everyone(VIEW_RESIDENTS)),
    ("rental A", lambda r: f"/residents/rentals/{r.rental_a.pk}/",
     status(VIEW_RESIDENTS, IN_A)),
    ("care list", lambda r: "/care/?state=all", everyone(VIEW_PLACES)),
    # The department handler's role sees no special-care group until one is granted.
    ("membership A", lambda r: f"/care/{r.membership_a.pk}/",
     status(VIEW_PLACES, IN_A - {"dept"})),
    ("membership B", lambda r: f"/care/{r.membership_b.pk}/", status(VIEW_PLACES, IN_B)),
    ("enrol resident A", lambda r: f"/residents/people/{r.resident_a.pk}/care/new/",
     status(VIEW_RESIDENTS, IN_A, ENROL)),
    ("venues", lambda r: "/venues/", everyone(VIEW_PLACES)),
    ("uninspected venues", lambda r: "/venues/?uninspected=1", everyone(VIEW_PLACES)),
    ("new venue", lambda r: "/venues/new/", everyone(WRITE)),
    ("venue A", lambda r: f"/venues/{r.venue_a.pk}/", status(VIEW_PLACES, IN_A)),
    ("edit venue A", lambda r: f"/venues/{r.venue_a.pk}/edit/",
     status(VIEW_PLACES, IN_A, WRITE)),
    ("import", lambda r: "/residents/import/", everyone(IMPORT)),
    ("import template", lambda r: "/residents/import/template.xlsx", everyone(IMPORT)),
    ("access log", lambda r: "/access-log/", everyone({"admin"})),
]  # fmt: skip

API_ROWS = [
    ("api buildings", lambda r: "/api/v1/buildings/", everyone(VIEW_PLACES)),
    ("api building A", lambda r: f"/api/v1/buildings/{r.building_a.pk}/",
     status(VIEW_PLACES, IN_A)),
    ("api building B", lambda r: f"/api/v1/buildings/{r.building_b.pk}/",
     status(VIEW_PLACES, IN_B)),
    ("api houses", lambda r: "/api/v1/houses/", everyone(VIEW_PLACES)),
    ("api house A", lambda r: f"/api/v1/houses/{r.house_a.pk}/", status(VIEW_PLACES, IN_A)),
    ("api residents", lambda r: "/api/v1/residents/", everyone(VIEW_RESIDENTS)),
    ("api resident A", lambda r: f"/api/v1/residents/{r.resident_a.pk}/",
     status(VIEW_RESIDENTS, IN_A)),
    ("api resident B", lambda r: f"/api/v1/residents/{r.resident_b.pk}/",
     status(VIEW_RESIDENTS, IN_B)),
    ("api rentals", lambda r: "/api/v1/rentals/", everyone(VIEW_RESIDENTS)),
    ("api rental A", lambda r: f"/api/v1/rentals/{r.rental_a.pk}/",
     status(VIEW_RESIDENTS, IN_A)),
    ("api memberships", lambda r: "/api/v1/care-memberships/", everyone(VIEW_PLACES)),
    ("api membership A", lambda r: f"/api/v1/care-memberships/{r.membership_a.pk}/",
     status(VIEW_PLACES, IN_A - {"dept"})),
    ("api visits", lambda r: "/api/v1/visits/", everyone(VIEW_PLACES)),
    ("api venues", lambda r: "/api/v1/venues/", everyone(VIEW_PLACES)),
    ("api venue A", lambda r: f"/api/v1/venues/{r.venue_a.pk}/", status(VIEW_PLACES, IN_A)),
]  # fmt: skip


@pytest.mark.parametrize(("name", "url", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_each_persona_gets_the_status_its_scope_allows(client_for, registry, name, url, expected):
    got = {p: client_for(p).get(url(registry)).status_code for p in sorted(STAFF)}
    assert got == expected, name


@pytest.mark.parametrize(("name", "url", "expected"), API_ROWS, ids=[r[0] for r in API_ROWS])
def test_each_persona_gets_the_api_status_its_scope_allows(
    client_for, registry, name, url, expected
):
    got = {}
    for persona in sorted(STAFF):
        response = client_for(persona).get(url(registry), HTTP_ACCEPT="application/json")
        got[persona] = response.status_code
        if response.status_code >= 400:
            assert response.json()["error"]["status"] == response.status_code
    assert got == expected, name


@pytest.mark.parametrize(("name", "url", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client_for, registry, name, url, expected):
    response = client_for("anonymous").get(url(registry))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(("name", "url", "expected"), API_ROWS, ids=[r[0] for r in API_ROWS])
def test_an_anonymous_api_client_gets_a_json_403(client_for, registry, name, url, expected):
    assert client_for("anonymous").get(url(registry)).status_code == 403


REVEAL = {**status(VIEW_RESIDENTS, IN_A, {"worker", "community", "admin"})}


@pytest.mark.parametrize("persona", sorted(STAFF))
def test_only_roles_allowed_to_reveal_get_the_full_value(client_for, registry, persona):
    response = client_for(persona).post(
        f"/residents/reveal/resident/{registry.resident_a.pk}/",
        {"field": "phone", "reason": "核实"},
    )
    assert response.status_code == REVEAL[persona], persona
    assert ("13812345678" in response.content.decode()) == (REVEAL[persona] == 200)


# --- Writes across grids ---------------------------------------------------------------------


def test_worker_cannot_edit_a_resident_of_worker2s_grid_by_url_or_api(client_for, registry):
    client = client_for("worker")
    resident_b = registry.resident_b

    page = client.post(
        f"/residents/people/{resident_b.pk}/edit/", {"name": "改名", "status": "present"}
    )
    api = client.patch(
        f"/api/v1/residents/{resident_b.pk}/", {"name": "改名"}, content_type="application/json"
    )

    assert page.status_code == 404
    assert api.status_code == 404
    assert Resident.objects.get(pk=resident_b.pk).name == "李四"


def test_worker_cannot_move_a_resident_into_a_grid_outside_their_scope(client_for, registry, world):
    client = client_for("worker")
    resident = registry.resident_a

    by_api = client.patch(
        f"/api/v1/residents/{resident.pk}/", {"house": registry.house_b.pk},
        content_type="application/json",
    )  # fmt: skip
    by_grid = client.patch(
        f"/api/v1/residents/{resident.pk}/", {"house": None, "grid": world.grid_b.pk},
        content_type="application/json",
    )  # fmt: skip
    by_action = client.post(
        f"/api/v1/residents/{resident.pk}/move/", {"house": registry.house_b.pk},
        content_type="application/json",
    )  # fmt: skip
    by_page = client.post(
        f"/residents/people/{resident.pk}/move/",
        {"grid": world.grid_b.pk, "building": registry.building_b.pk, "unit": 1,
         "house": registry.house_b.pk, "moved_on": "2026-01-05", "with_household": "on"},
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.resident_move(actor=world.users["worker"], resident=resident,
                               house=registry.house_b, with_household=True)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.resident_move(actor=world.users["worker"], resident=resident,
                               grid=world.grid_a2, with_household=True)  # fmt: skip

    assert by_api.status_code == 400  # the house does not exist for them
    assert by_grid.status_code == 400
    assert by_action.status_code == 404
    assert by_page.status_code == 404
    assert "house_b" not in by_action.content.decode()
    assert Resident.objects.get(pk=resident.pk).grid == world.grid_a


def test_community_staff_may_move_a_household_between_grids_of_their_community(registry, world):
    moved = services.resident_move(
        actor=world.users["community"], resident=registry.resident_a, grid=world.grid_a2,
        with_household=True,
    )  # fmt: skip

    assert moved.grid == world.grid_a2
    assert moved.house is None
    tenant = Resident.objects.get(pk=registry.extra["tenant"].pk)
    assert (tenant.grid, tenant.household) == (world.grid_a2, moved.household)
    assert moved.household.grid == world.grid_a2


def test_worker_cannot_add_a_resident_to_a_house_of_another_grid_by_api(client_for, registry):
    from tests.residents.conftest import make_id

    response = client_for("worker").post(
        "/api/v1/residents/",
        {"name": "王六", "id_number": make_id("19880808", 88), "house": registry.house_b.pk,
         "ethnicity": "01"},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 400
    assert "house" in response.json()["error"]["fields"]
    assert not Resident.objects.filter(name="王六").exists()


def test_a_worker_moves_a_resident_to_another_house_of_their_grid_on_the_move_page(
    client_for, registry, world
):
    other = services.house_create(
        actor=world.users["worker"], building=registry.building_a, floor=4, room="402"
    )
    response = client_for("worker").post(
        f"/residents/people/{registry.resident_b.pk}/move/", {"house": other.pk}
    )
    assert response.status_code == 404  # resident B is not theirs, whatever the house

    tenant = registry.extra["tenant"]
    page = client_for("worker").get(
        f"/residents/people/{tenant.pk}/move/?grid={world.grid_a.pk}"
        f"&building={registry.building_a.pk}&unit=1"
    )
    assert [h.pk for h in page.context["form"].fields["house"].queryset] == [
        other.pk,
        registry.house_a.pk,
    ]
    client_for("worker").post(
        f"/residents/people/{tenant.pk}/move/",
        {"grid": world.grid_a.pk, "building": registry.building_a.pk, "unit": 1,
         "house": other.pk, "moved_on": "2026-01-05", "relation": "head"},
    )  # fmt: skip

    moved = Resident.objects.get(pk=tenant.pk)
    assert moved.house == other
    assert moved.household.head == moved
    assert str(moved.moved_in_on) == "2026-01-05"
