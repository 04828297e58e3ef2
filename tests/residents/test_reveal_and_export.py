"""Masked everywhere by default; a reveal needs a reason and a role allowed to see the full
value, and is logged; exports are masked and logged; the log cannot be edited."""

import io

import pytest
from django.db import DatabaseError, transaction
from openpyxl import load_workbook

from residents.models import AccessLog, AppendOnlyError
from tests.residents.conftest import make_id

ID_A = make_id("19850312", 123)
PHONE_A = "13812345678"


def test_list_and_detail_pages_show_masked_values_only(client_for, registry):
    client = client_for("worker")
    pages = [
        "/residents/", f"/residents/houses/{registry.house_a.pk}/",
        f"/residents/people/{registry.resident_a.pk}/", "/residents/?q=zs",
        f"/residents/?q={PHONE_A[-4:]}", f"/residents/rentals/{registry.rental_a.pk}/",
        f"/venues/{registry.venue_a.pk}/", "/care/?state=all",
    ]  # fmt: skip
    for url in pages:
        html = client.get(url).content.decode()
        assert ID_A not in html, url
        assert PHONE_A not in html, url
        assert "13700002222" not in html, url
        assert "13600003333" not in html, url
    listing = client.get("/residents/").content.decode()
    assert "4205**********" + ID_A[-4:] in listing
    assert "138****5678" in listing


def test_the_api_shows_masked_values_only(client_for, registry):
    body = client_for("worker").get("/api/v1/residents/").json()

    row = next(r for r in body["results"] if r["id"] == registry.resident_a.pk)
    assert row["id_number"] == "4205**********" + ID_A[-4:]
    assert row["phone"] == "138****5678"
    assert ID_A not in str(body)


def test_a_reveal_with_a_reason_shows_the_value_and_is_logged(client_for, registry, world):
    response = client_for("worker").post(
        f"/residents/reveal/resident/{registry.resident_a.pk}/",
        {"field": "id_number", "reason": "上门核实身份"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert ID_A in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.action, entry.field) == (
        world.users["worker"],
        "reveal",
        "id_number",
    )
    assert entry.target_id == str(registry.resident_a.pk)
    assert entry.reason == "上门核实身份"
    assert ID_A not in str(entry.__dict__)


def test_a_reveal_without_a_reason_shows_nothing_and_logs_nothing(client_for, registry):
    response = client_for("worker").post(
        f"/residents/reveal/resident/{registry.resident_a.pk}/", {"field": "phone", "reason": " "}
    )

    assert PHONE_A not in response.content.decode()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("street", 403), ("leader", 403), ("worker2", 404)]
)
def test_roles_not_allowed_to_reveal_are_refused_and_nothing_is_logged(
    client_for, registry, persona, status
):
    response = client_for(persona).post(
        f"/api/v1/residents/{registry.resident_a.pk}/reveal/",
        {"field": "id_number", "reason": "想看看"},
        content_type="application/json",
    )

    assert response.status_code == status
    assert ID_A not in response.content.decode()
    assert not AccessLog.objects.exists()


def test_the_api_reveal_requires_a_reason_and_logs_it(client_for, registry):
    client = client_for("community")
    url = f"/api/v1/residents/{registry.resident_a.pk}/reveal/"

    refused = client.post(url, {"field": "phone"}, content_type="application/json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["error"]["fields"]

    shown = client.post(
        url, {"field": "phone", "reason": "联系家属"}, content_type="application/json"
    )
    assert shown.json() == {"field": "phone", "value": PHONE_A}
    assert AccessLog.objects.get().reason == "联系家属"


def test_a_landlords_phone_and_a_venues_contact_can_be_revealed_too(client_for, registry):
    client = client_for("worker")
    rental = client.post(
        f"/api/v1/rentals/{registry.rental_a.pk}/reveal/",
        {"field": "landlord_phone", "reason": "联系房东"}, content_type="application/json",
    )  # fmt: skip
    venue = client.post(
        f"/residents/reveal/venue/{registry.venue_a.pk}/",
        {"field": "contact_phone", "reason": "检查前联系"},
    )  # fmt: skip

    assert rental.json()["value"] == "13700002222"
    assert "13600003333" in venue.content.decode()
    assert AccessLog.objects.count() == 2


def test_an_export_is_masked_neutralised_and_logged(client_for, registry, world):
    from residents import services

    services.resident_update(
        actor=world.users["admin"], resident=registry.resident_a, notes='=HYPERLINK("x")'
    )

    response = client_for("community").post("/residents/export/", {"status": "present"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    zhang = next(r for r in rows if r[0] == "张三")
    assert zhang[3] == "4205**********" + ID_A[-4:]
    assert zhang[4] == "138****5678"
    assert zhang[-1] == '\'=HYPERLINK("x")'
    assert ID_A not in str(rows)
    assert PHONE_A not in str(rows)
    assert not any(r[0] == "李四" for r in rows)  # grid B is outside community A
    entry = AccessLog.objects.get()
    assert (entry.action, entry.actor) == ("export", world.users["community"])
    assert entry.detail["count"] == len(rows) - 1


def test_a_grid_worker_may_not_export(client_for, registry):
    assert client_for("worker").post("/residents/export/").status_code == 403
    assert not AccessLog.objects.exists()


def test_the_access_log_is_for_administrators_and_cannot_be_changed(client_for, registry):
    client_for("worker").post(
        f"/residents/reveal/resident/{registry.resident_a.pk}/",
        {"field": "phone", "reason": "回访"},
    )
    entry = AccessLog.objects.get()

    assert client_for("admin").get("/access-log/").status_code == 200
    assert "回访" in client_for("admin").get("/access-log/").content.decode()
    for persona in ("worker", "community", "street", "leader"):
        assert client_for(persona).get("/access-log/").status_code == 403
    entry.reason = "改掉"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(reason="改掉")
    assert AccessLog.objects.get().reason == "回访"


def test_the_access_log_is_read_only_in_the_django_admin(client_for, registry, world):
    from django.contrib import admin

    from residents.models import AccessLog as Model

    model_admin = admin.site._registry[Model]

    class Request:
        user = world.users["admin"]

    assert not model_admin.has_add_permission(Request())
    assert not model_admin.has_change_permission(Request())
    assert not model_admin.has_delete_permission(Request())


# --- Never in a URL --------------------------------------------------------------------------


def test_a_full_id_number_is_searched_by_post_and_never_lands_in_a_url(client_for, registry):
    client = client_for("community")

    response = client.post("/residents/", {"q": ID_A, "status": "present"})

    assert response.status_code == 200  # answered in place: no redirect carrying the number
    assert [r.name for r in response.context["page"]] == ["张三"]
    assert ID_A not in response.content.decode()
    htmx = client.post("/residents/", {"q": PHONE_A}, HTTP_HX_REQUEST="true")
    assert [r.name for r in htmx.context["page"]] == ["张三"]
    assert "HX-Push-Url" not in htmx


def test_an_ordinary_search_by_post_becomes_an_address_that_can_be_paged(client_for, registry):
    client = client_for("community")

    response = client.post("/residents/", {"q": "zs", "status": "present"})
    htmx = client.post("/residents/", {"q": "zs"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 302
    assert response["Location"] == "/residents/?q=zs&status=present"
    assert htmx["HX-Push-Url"] == "/residents/?q=zs"


def test_an_id_number_typed_into_the_address_is_not_searched(client_for, registry):
    response = client_for("community").get(f"/residents/?q={ID_A}", follow=True)

    assert response.context["query"] == ""
    assert "not in the address" in response.content.decode()


def test_the_api_refuses_an_id_number_in_the_url_and_finds_it_in_a_post_body(client_for, registry):
    client = client_for("community")

    refused = client.get(f"/api/v1/residents/?q={ID_A}")
    found = client.post("/api/v1/residents/search/", {"q": ID_A}, content_type="application/json")

    assert refused.status_code == 400
    assert "POST /api/v1/residents/search/" in refused.json()["error"]["fields"]["q"][0]
    assert [r["name"] for r in found.json()["results"]] == ["张三"]
    assert ID_A not in str(found.json())
