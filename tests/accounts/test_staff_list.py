"""The staff directory: scoped rows, filters, role badges, a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.accounts.roles import Role
from governance.accounts.services import role_assign, user_create, user_update
from tests.factories import PASSWORD


def usernames(response) -> set[str]:
    return {person.username for person in response.context["page"]}


def test_a_street_dispatcher_sees_only_staff_of_their_street(world, client_for):
    response = client_for("street").get("/staff/")
    assert response.status_code == 200
    assert usernames(response) == {"worker", "community", "street", "dept", "mediator"}


def test_a_community_staffer_sees_only_staff_of_their_community(world, client_for):
    assert usernames(client_for("community").get("/staff/")) == {"worker", "community"}


def test_a_district_leader_sees_every_staff_member_with_a_role_in_the_district(world, client_for):
    assert usernames(client_for("leader").get("/staff/")) == set(world.users) - {"admin"}


def test_the_admin_sees_everybody_including_accounts_without_an_area(world, client_for):
    assert usernames(client_for("admin").get("/staff/")) == {*world.users, "root"}


def test_each_row_shows_the_roles_with_their_area_or_unit(world, english_client_for):
    html = english_client_for("admin").get("/staff/").content.decode()
    assert "Grid worker · 四方堰第一网格" in html
    assert "Department handler · 西陵派出所" in html
    assert "Administrator</span>" in html


def test_the_new_account_button_shows_only_to_those_who_may_add_users(world, client_for):
    assert b"/staff/new/" in client_for("admin").get("/staff/").content
    assert b"/staff/new/" not in client_for("district").get("/staff/").content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=worker", {"worker", "worker2"}),
        ("q=张", {"worker"}),
        ("q=13800001111", {"community"}),
        ("role=grid_worker", {"worker", "worker2"}),
        ("role=street_dispatcher", {"street"}),
        ("role=grid_worker&q=李", {"worker2"}),
        ("role=none", {"root"}),
    ],
)
def test_the_list_filters_by_text_and_role(world, client_for, query, expected):
    user_update(actor=world.users["admin"], user=world.users["community"], phone="13800001111")
    assert usernames(client_for("admin").get(f"/staff/?{query}")) == expected


def test_the_unit_filter_matches_the_home_unit_and_the_unit_of_a_role(world, client_for):
    police = world.units["police_a"]
    user_update(actor=world.users["admin"], user=world.users["street"], unit=police)
    response = client_for("admin").get(f"/staff/?unit={police.pk}")
    assert usernames(response) == {"dept", "street"}


def test_inactive_accounts_are_hidden_unless_asked_for(world, client_for):
    user_update(actor=world.users["admin"], user=world.users["worker"], is_active=False)
    client = client_for("admin")
    assert "worker" not in usernames(client.get("/staff/"))
    assert usernames(client.get("/staff/?status=inactive")) == {"worker"}
    assert "worker" in usernames(client.get("/staff/?status=all"))


def test_bad_filter_values_are_ignored_rather_than_failing(world, client_for):
    response = client_for("admin").get("/staff/?role=nonsense&unit=abc&status=x&page=zz")
    assert response.status_code == 200
    assert "worker" in usernames(response)


def test_a_unit_outside_the_viewers_reach_filters_nothing_in(world, client_for):
    """A unit id posted by hand that the viewer may not see is ignored, not used to probe."""
    station_b = world.units["station_b"]
    user_update(actor=world.users["admin"], user=world.users["worker2"], unit=station_b)
    response = client_for("community").get(f"/staff/?unit={station_b.pk}")
    assert usernames(response) == {"worker", "community"}


def _add_staff(world, count: int, prefix: str) -> None:
    admin = world.users["admin"]
    for i in range(count):
        user = user_create(
            actor=admin, username=f"{prefix}{i}", password=PASSWORD, unit=world.units["station_a"]
        )
        role_assign(actor=admin, user=user, role=Role.GRID_WORKER, area=world.grid_a2)
        role_assign(
            actor=admin, user=user, role=Role.DEPARTMENT_HANDLER, unit=world.units["police_a"]
        )


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["admin", "street"])
def test_the_list_costs_the_same_queries_for_3_or_30_more_people(world, client_for, persona):
    client = client_for(persona)
    _queries_for(client, "/staff/")  # warm per-process caches (content types)
    _add_staff(world, 3, "few")
    few = _queries_for(client, "/staff/")
    _add_staff(world, 27, "many")
    many = _queries_for(client, "/staff/")
    assert len(client.get("/staff/").context["page"]) >= 30
    assert many == few


def test_the_list_page_stays_within_a_fixed_query_budget(
    world, client_for, django_assert_max_num_queries
):
    _add_staff(world, 30, "bulk")
    client = client_for("street")
    client.get("/staff/")
    with django_assert_max_num_queries(10):
        client.get("/staff/?role=grid_worker&q=bulk")
