"""Every page and endpoint so far, as every persona: exactly the status it should get.

Rows name a URL and the personas that get each status; everybody else gets the row's default.
Anonymous visitors are redirected to the login page (pages) or refused with 403 (API).
"""

import pytest

from tests.factories import PERSONAS

STAFF = set(PERSONAS) - {"anonymous"}
# Personas whose scope reaches grid A / street A (grid A lies in street A, community A).
SEES_GRID_A = {"worker", "community", "street", "district", "leader", "dept", "mediator",
               "petition", "admin"}  # fmt: skip
SEES_GRID_B = {"worker2", "district", "leader", "petition", "admin"}
SEES_DISTRICT = {"district", "leader", "petition", "admin"}
# Units are visible inside one's area and above it (the departments one sends work to).
SEES_POLICE_A = {"worker", "community", "street", "district", "leader", "dept", "mediator",
                 "petition", "admin"}  # fmt: skip
VIEWS_STAFF = {"community", "street", "district", "leader", "admin"}


def only(who: set[str], status: int, otherwise: int) -> dict[str, int]:
    return {p: (status if p in who else otherwise) for p in STAFF}


def detail(visible: set[str]) -> dict[str, int]:
    return only(visible, 200, 404)


def admin_write(visible: set[str]) -> dict[str, int]:
    """Admin may; others who can see the object get 403; the rest 404."""
    return {p: 200 if p == "admin" else 403 if p in visible else 404 for p in STAFF}


ROWS = [
    ("home", lambda w: "/", only(STAFF, 200, 200)),
    ("territory tree", lambda w: "/territory/", only(STAFF, 200, 200)),
    ("territory map", lambda w: "/map/", only(STAFF, 200, 200)),
    ("map layer", lambda w: "/map/grids.geojson", only(STAFF, 200, 200)),
    ("grid A page", lambda w: f"/territory/{w.grid_a.pk}/", detail(SEES_GRID_A)),
    ("grid B page", lambda w: f"/territory/{w.grid_b.pk}/", detail(SEES_GRID_B)),
    ("district page", lambda w: f"/territory/{w.district.pk}/", detail(SEES_DISTRICT)),
    ("missing area", lambda w: "/territory/999999/", only(set(), 200, 404)),
    ("map layer within B", lambda w: f"/map/grids.geojson?within={w.grid_b.pk}",
     detail(SEES_GRID_B)),
    ("edit grid A", lambda w: f"/territory/{w.grid_a.pk}/edit/", admin_write(SEES_GRID_A)),
    ("boundary of grid A", lambda w: f"/territory/{w.grid_a.pk}/boundary/",
     admin_write(SEES_GRID_A)),
    ("new area", lambda w: "/territory/new/", only({"admin"}, 200, 403)),
    ("new area under B", lambda w: f"/territory/new/?parent={w.community_b.pk}",
     admin_write({"district", "leader", "petition"})),  # worker2 sees grid B, not its community
    ("import boundaries", lambda w: "/territory/import/", only({"admin"}, 200, 403)),
    ("units", lambda w: "/units/", only(STAFF, 200, 200)),
    ("police A", lambda w: f"/units/{w.units['police_a'].pk}/", detail(SEES_POLICE_A)),
    ("police B", lambda w: f"/units/{w.units['police_b'].pk}/",
     detail({"worker2", "district", "leader", "petition", "admin"})),
    ("edit police A", lambda w: f"/units/{w.units['police_a'].pk}/edit/",
     admin_write(SEES_POLICE_A)),
    ("new unit", lambda w: "/units/new/", only({"admin"}, 200, 403)),
    ("audit trail", lambda w: "/audit/", only({"admin"}, 200, 403)),
    ("change password", lambda w: "/account/password/", only(STAFF, 200, 200)),
]  # fmt: skip

API_ROWS = [
    ("api areas", lambda w: "/api/v1/areas/", only(STAFF, 200, 200)),
    ("api grid A", lambda w: f"/api/v1/areas/{w.grid_a.pk}/", detail(SEES_GRID_A)),
    ("api grid B", lambda w: f"/api/v1/areas/{w.grid_b.pk}/", detail(SEES_GRID_B)),
    ("api units", lambda w: "/api/v1/units/", only(STAFF, 200, 200)),
    ("api police B", lambda w: f"/api/v1/units/{w.units['police_b'].pk}/",
     detail({"worker2", "district", "leader", "petition", "admin"})),
    ("api users", lambda w: "/api/v1/users/", only(VIEWS_STAFF, 200, 403)),
    ("api me", lambda w: "/api/v1/me/", only(STAFF, 200, 200)),
    ("api schema", lambda w: "/api/v1/schema/", only(STAFF, 200, 200)),
]  # fmt: skip

CASES = [
    (name, url, persona, expected[persona]) for name, url, expected in ROWS for persona in STAFF
]
API_CASES = [
    (name, url, persona, expected[persona]) for name, url, expected in API_ROWS for persona in STAFF
]


@pytest.mark.parametrize(("name", "url", "persona", "status"), CASES, ids=lambda v: str(v))
def test_each_persona_gets_the_status_its_scope_allows(
    client_for, world, name, url, persona, status
):
    response = client_for(persona).get(url(world))
    assert response.status_code == status, f"{persona} GET {name}"


@pytest.mark.parametrize(("name", "url", "persona", "status"), API_CASES, ids=lambda v: str(v))
def test_each_persona_gets_the_api_status_its_scope_allows(
    client_for, world, name, url, persona, status
):
    response = client_for(persona).get(url(world), HTTP_ACCEPT="application/json")
    assert response.status_code == status, f"{persona} GET {name}"
    if status >= 400:
        assert response.json()["error"]["status"] == status


@pytest.mark.parametrize(("name", "url", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client_for, world, name, url, expected):
    response = client_for("anonymous").get(url(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(("name", "url", "expected"), API_ROWS, ids=[r[0] for r in API_ROWS])
def test_an_anonymous_api_client_gets_a_json_403(client_for, world, name, url, expected):
    response = client_for("anonymous").get(url(world))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


def test_public_pages_need_no_login(client_for, world):
    anonymous = client_for("anonymous")
    assert anonymous.get("/login/").status_code == 200
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    assert anonymous.get("/jsi18n/").status_code == 200
