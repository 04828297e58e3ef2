"""Every list page and list endpoint costs the same number of queries with 3 rows or 30."""

import datetime

import pytest
from django.utils import timezone

from residents import services
from residents.models import CareGroup
from tests.residents.conftest import make_id

LIST_PAGES = [
    ("worker", "/residents/"),
    ("worker", "/residents/?q=zs"),
    ("community", "/residents/?q=张三"),
    ("worker", "/residents/grids/"),
    ("worker", "/residents/grids/{grid_a}/"),
    ("worker", "/residents/buildings/{building_a}/"),
    ("worker", "/residents/houses/{house_a}/"),
    ("worker", "/residents/rentals/?state=all"),
    ("worker", "/care/?state=all"),
    ("worker", "/venues/"),
    ("worker", "/venues/?uninspected=1"),
    ("admin", "/access-log/"),
    ("worker", "/"),
    ("community", "/"),
]
LIST_ENDPOINTS = [
    "/api/v1/buildings/", "/api/v1/houses/", "/api/v1/residents/", "/api/v1/residents/?q=zs",
    "/api/v1/rentals/", "/api/v1/care-memberships/", "/api/v1/visits/", "/api/v1/venues/",
]  # fmt: skip
GIVEN = "一二三四五六七八九十伟强磊军勇杰涛斌超明"


def grow(registry, world, start: int, n: int) -> None:
    """Add ``n`` of everything in grid A: houses with a resident each, rentals, memberships,
    visits, venues and reveals."""
    admin = world.users["admin"]
    group = CareGroup.objects.get(code="disabled")
    began = timezone.localdate() - datetime.timedelta(days=40)
    for i in range(start, start + n):
        house = services.house_create(
            actor=admin, building=registry.building_a, unit=2, floor=1 + i % 6, room=f"9{i:02d}"
        )
        person = services.resident_create(
            actor=admin, house=house, name="张" + GIVEN[i % 20] + GIVEN[i // 20],
            id_number=make_id("19700101", 200 + i), phone=f"1391234{i:04d}", ethnicity="01",
        )  # fmt: skip
        services.rental_create(
            actor=admin, house=house, landlord=registry.resident_a, tenants=[person],
            contract_start=began, contract_end=began + datetime.timedelta(days=10 + i),
        )  # fmt: skip
        membership = services.membership_create(
            actor=admin, resident=person, group=group, level=1 + i % 3, started_on=began
        )
        services.visit_record(
            actor=admin, membership=membership, visited_at=timezone.now(), method="phone",
            finding="ok",
        )  # fmt: skip
        services.venue_create(
            actor=admin, grid=world.grid_a, name=f"网吧{i}", venue_type="internet_cafe",
            address="x", contact_name="钱经理", contact_phone="13600003333",
        )  # fmt: skip
        services.reveal(actor=admin, obj=person, field="phone", reason="测试")


def _count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize(("persona", "url"), LIST_PAGES, ids=[f"{p}{u}" for p, u in LIST_PAGES])
def test_a_list_page_costs_the_same_with_more_rows(
    client_for, registry, world, persona, url, django_assert_max_num_queries
):
    client = client_for(persona)
    target = url.format(
        grid_a=world.grid_a.pk, building_a=registry.building_a.pk, house_a=registry.house_a.pk
    )
    grow(registry, world, 0, 3)
    few = _count(client, target, django_assert_max_num_queries, 40)
    grow(registry, world, 3, 27)
    many = _count(client, target, django_assert_max_num_queries, 40)
    assert many <= few, f"{target}: {few} queries with few rows, {many} with many"


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_a_list_endpoint_costs_the_same_with_more_rows(
    client_for, registry, world, url, django_assert_max_num_queries
):
    client = client_for("worker")
    grow(registry, world, 0, 3)
    few = _count(client, url, django_assert_max_num_queries, 15)
    grow(registry, world, 3, 27)
    many = _count(client, url, django_assert_max_num_queries, 15)
    assert many <= few, f"{url}: {few} queries with few rows, {many} with many"
