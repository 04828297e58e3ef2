"""The API writes through the same services as the pages: create and change, filters, the
reveal, end and inspect actions, a visit with a photo."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from residents.models import AccessLog, Building, Resident, Visit
from tests.residents.conftest import POINT_A, make_id


def test_a_worker_registers_a_building_a_house_and_a_resident_by_api(client_for, registry, world):
    client = client_for("worker")

    building = client.post(
        "/api/v1/buildings/", {"name": "9栋", "lng": POINT_A[0], "lat": POINT_A[1], "floors": 6},
        content_type="application/json",
    )  # fmt: skip
    assert building.status_code == 201, building.content
    assert building.json()["grid"] == world.grid_a.pk
    house = client.post(
        "/api/v1/houses/", {"building": building.json()["id"], "floor": 2, "room": "201"},
        content_type="application/json",
    )  # fmt: skip
    assert house.status_code == 201, house.content
    resident = client.post(
        "/api/v1/residents/",
        {"name": "周九", "id_number": make_id("19880808", 88), "house": house.json()["id"],
         "phone": "13512345678", "ethnicity": "01"},
        content_type="application/json",
    )  # fmt: skip
    assert resident.status_code == 201, resident.content
    body = resident.json()
    assert body["id_number"] == "4205**********" + make_id("19880808", 88)[-4:]
    assert body["phone"] == "135****5678"
    assert body["sex"] == "F"  # the 17th digit, 8, is even


def test_a_bad_id_number_by_api_gets_the_error_envelope_at_the_field(client_for, registry):
    bad = make_id()[:17] + ("0" if make_id()[17] != "0" else "1")
    response = client_for("worker").post(
        "/api/v1/residents/",
        {"name": "周九", "id_number": bad, "house": registry.house_a.pk, "ethnicity": "01"},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 400
    assert "check digit" in response.json()["error"]["fields"]["id_number"][0]


def test_filters_find_by_search_grid_and_state(client_for, registry, world):
    client = client_for("district")

    by_initials = client.get("/api/v1/residents/?q=zs").json()
    by_grid = client.get(f"/api/v1/residents/?grid_code={world.grid_b.code}").json()
    overdue = client.get("/api/v1/care-memberships/?state=overdue").json()
    uninspected = client.get("/api/v1/venues/?uninspected=true").json()

    assert [r["name"] for r in by_initials["results"]] == ["张三"]
    assert [r["name"] for r in by_grid["results"]] == ["李四"]
    assert overdue["count"] == 2
    assert [v["name"] for v in uninspected["results"]] == ["如家酒店"]


def test_a_visit_with_a_photo_is_recorded_by_api(client_for, registry):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, "PNG")
    response = client_for("worker").post(
        "/api/v1/visits/",
        {"membership": registry.membership_a.pk, "visited_at": timezone.now().isoformat(),
         "method": "home", "finding": "一切正常",
         "photo": SimpleUploadedFile("v.png", buffer.getvalue(), content_type="image/png")},
    )  # fmt: skip

    assert response.status_code == 201, response.content
    assert response.json()["has_photo"]
    assert Visit.objects.get().photo.name.endswith(".png")


def test_a_visit_today_moves_the_membership_on(client_for, registry):
    response = client_for("worker").post(
        "/api/v1/visits/",
        {"membership": registry.membership_a.pk, "visited_at": timezone.now().isoformat(),
         "method": "phone", "finding": "电话回访"},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 201, response.content
    membership = client_for("worker").get(f"/api/v1/care-memberships/{registry.membership_a.pk}/")
    assert membership.json()["overdue"] is False


def test_rentals_end_and_venues_are_inspected_by_api(client_for, registry):
    client = client_for("worker")

    ended = client.post(
        f"/api/v1/rentals/{registry.rental_a.pk}/end/",
        {"ended_on": str(registry.rental_a.contract_start)}, content_type="application/json",
    )  # fmt: skip
    inspected = client.post(
        f"/api/v1/venues/{registry.venue_a.pk}/inspect/",
        {"inspected_on": str(timezone.localdate()),
         "result": "passed", "signed_off_by": "钱经理"},
        content_type="application/json",
    )  # fmt: skip

    assert ended.status_code == 200, ended.content
    assert ended.json()["ended_on"] == str(registry.rental_a.contract_start)
    assert inspected.status_code == 201, inspected.content
    assert client.get(f"/api/v1/venues/{registry.venue_a.pk}/").json()["inspected_this_month"]


def test_a_department_handler_cannot_add_buildings_or_see_residents(client_for, registry):
    client = client_for("dept")

    response = client.post(
        "/api/v1/buildings/", {"name": "X", "lng": POINT_A[0], "lat": POINT_A[1]},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 403
    assert not Building.objects.filter(name="X").exists()
    assert client.get("/api/v1/residents/").status_code == 403
    assert Resident.objects.count() == 3
    assert not AccessLog.objects.exists()
