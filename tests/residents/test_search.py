"""Short name searches: one character finds the names holding it anywhere (within scope),
two characters likewise; on PostgreSQL through the index on the name's characters."""

import pytest
from django.db import connection

from residents import services
from residents.selectors import residents_for
from tests.residents.conftest import make_id


@pytest.fixture
def names(registry, world):
    admin = world.users["admin"]
    for i, name in enumerate(["陈小梅", "梅兰", "李梅", "王小明"]):
        services.resident_create(
            actor=admin, house=registry.house_a, name=name, id_number=make_id("19900101", 300 + i),
            ethnicity="01", relation="other",
        )  # fmt: skip
    return registry


def _names(user, query):
    return sorted(residents_for(user, query=query).values_list("name", flat=True))


def test_one_character_finds_every_name_holding_it_not_only_those_starting_with_it(names, world):
    assert _names(world.users["worker"], "梅") == ["李梅", "梅兰", "陈小梅"]
    assert _names(world.users["worker"], "四") == []  # 李四 lives in grid B
    assert _names(world.users["worker2"], "四") == ["李四"]


def test_two_characters_find_the_names_holding_them_together(names, world):
    assert _names(world.users["worker"], "小梅") == ["陈小梅"]
    assert _names(world.users["worker"], "梅小") == []  # both characters, but not together


def test_a_one_character_search_is_a_page_of_the_scope_on_the_list_page(names, client_for):
    response = client_for("worker").get("/residents/?q=梅")

    assert [r.name for r in response.context["page"]] == ["李梅", "梅兰", "陈小梅"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_on_postgresql_a_short_name_search_can_use_the_name_characters_index(names, world):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = residents_for(world.users["admin"], query="梅").explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "residents_resident_name_chars" in plan
