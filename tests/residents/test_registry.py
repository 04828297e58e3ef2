"""Buildings take their grid from their point; houses fit their building; one person is one
record; households have one head; rentals show when they expire; venues show when they were
not inspected this month; search finds people by name, pinyin initials, phone digits or ID."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from governance.audit.models import AuditEntry
from residents import services
from residents.models import Building, Rental, Resident, Venue
from residents.selectors import residents_for
from tests.residents.conftest import POINT_A, POINT_A2, POINT_B, make_id

# --- Buildings and houses --------------------------------------------------------------------


def test_a_building_takes_the_grid_that_contains_its_point(world):
    building = services.building_create(
        actor=world.users["worker"], name="2栋", lng=POINT_A[0], lat=POINT_A[1]
    )

    assert building.grid == world.grid_a
    assert not building.grid_fixed_by_staff


def test_a_point_in_another_workers_grid_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.building_create(
            actor=world.users["worker"], name="2栋", lng=POINT_B[0], lat=POINT_B[1]
        )
    assert not Building.objects.exists()


def test_a_point_outside_every_grid_is_explained_at_the_point(world):
    with pytest.raises(ValidationError) as caught:
        services.building_create(actor=world.users["worker"], name="2栋", lng=100.0, lat=20.0)
    assert "lies in no grid" in str(caught.value.message_dict["lat"])


def test_staff_can_correct_the_grid_and_the_residents_follow(registry, world):
    community = world.users["community"]

    moved = services.building_update(
        actor=community, building=registry.building_a, grid=world.grid_a2
    )

    assert moved.grid == world.grid_a2
    assert moved.grid_fixed_by_staff  # the point still lies in grid A
    assert Resident.objects.get(pk=registry.resident_a.pk).grid == world.grid_a2
    entry = AuditEntry.objects.filter(action="building.update").latest("id")
    assert entry.detail["grid"] == [world.grid_a.code, world.grid_a2.code]


def test_a_worker_cannot_move_a_building_out_of_their_grid(registry, world):
    with pytest.raises(PermissionDenied):
        services.building_update(
            actor=world.users["worker"], building=registry.building_a, grid=world.grid_a2
        )


def test_moving_the_point_into_another_grid_without_choosing_it_marks_a_correction(registry, world):
    building = services.building_update(
        actor=world.users["community"], building=registry.building_a,
        lng=POINT_A2[0], lat=POINT_A2[1],
    )  # fmt: skip
    assert building.grid == world.grid_a
    assert building.grid_fixed_by_staff


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [({"unit": 3}, "unit", "has 2 units"), ({"floor": 7}, "floor", "has 6 floors"),
     ({"floor": 0}, "floor", "no floor 0"), ({"room": "301"}, "room", "already")],
)  # fmt: skip
def test_a_house_must_fit_its_building(registry, world, fields, field, words):
    data = {"unit": 1, "floor": 2, "room": "201", **fields}
    with pytest.raises(ValidationError) as caught:
        services.house_create(actor=world.users["worker"], building=registry.building_a, **data)
    assert words in " ".join(caught.value.message_dict[field])


# --- Residents and households ----------------------------------------------------------------


def test_one_person_is_one_record(registry, world):
    with pytest.raises(ValidationError) as caught:
        services.resident_create(
            actor=world.users["worker2"], house=registry.house_b, name="张三",
            id_number=make_id("19850312", 123), ethnicity="01",
        )  # fmt: skip
    assert "already registered" in caught.value.message_dict["id_number"][0]


def test_sex_and_birth_date_come_from_the_id_number(registry):
    assert registry.resident_a.birth_date == datetime.date(1985, 3, 12)
    assert registry.resident_a.sex == "M"


def test_every_problem_of_a_resident_form_is_reported_at_once(registry, world):
    bad = make_id()[:17] + ("0" if make_id()[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services.resident_create(
            actor=world.users["worker"], house=registry.house_a, name="",
            id_number=bad, phone="12", relation="child",
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"name", "id_number", "phone", "ethnicity"}


def test_a_foreign_resident_is_registered_with_a_passport(registry, world):
    resident = services.resident_create(
        actor=world.users["worker"], house=registry.house_a, name="John Smith",
        document_type="passport", id_number="E12345678", registration_type="overseas",
        nationality="英国", sex="M", birth_date=datetime.date(1990, 1, 1), relation="tenant",
    )  # fmt: skip

    assert resident.id_number_masked == "E1*****78"
    assert list(residents_for(world.users["worker"], query="e12345678")) == [resident]


def test_a_household_has_one_head(registry, world):
    with pytest.raises(ValidationError) as caught:
        services.resident_create(
            actor=world.users["worker"], house=registry.house_a, name="孙八",
            id_number=make_id("19900101", 555), ethnicity="01", relation="head",
        )  # fmt: skip
    assert "already has a head" in caught.value.message_dict["relation"][0]

    second = services.resident_create(
        actor=world.users["worker"], house=registry.house_a, name="孙八",
        id_number=make_id("19900101", 555), ethnicity="01", relation="head", new_household=True,
    )  # fmt: skip
    assert second.household != registry.resident_a.household
    assert second.household.head == second


def test_an_update_is_audited_by_field_name_never_by_value(registry, world):
    services.resident_update(
        actor=world.users["worker"], resident=registry.resident_a, phone="13987654321"
    )
    entry = AuditEntry.objects.filter(action="resident.update").latest("id")

    assert entry.detail == {"fields": ["phone"]}
    assert "13987654321" not in str(AuditEntry.objects.values_list("detail", "target_repr"))


# --- Rentals and venues ----------------------------------------------------------------------


def test_a_rental_shows_as_expired_once_its_contract_has_ended(registry):
    end = registry.rental_a.contract_end
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(12))
    with time_machine.travel(timezone.make_aware(after)):
        assert Rental.objects.expired().filter(pk=registry.rental_a.pk).exists()
        assert registry.rental_a.is_expired()
    assert Rental.objects.current().filter(pk=registry.rental_a.pk).exists()


def test_registering_a_rental_marks_the_house_rented_and_ending_it_vacant(registry, world):
    assert registry.house_a.__class__.objects.get(pk=registry.house_a.pk).use == "rented"

    services.rental_end(
        actor=world.users["worker"], rental=registry.rental_a, ended_on=timezone.localdate()
    )

    assert registry.house_a.__class__.objects.get(pk=registry.house_a.pk).use == "vacant"


def test_a_rental_needs_a_landlord_and_a_sane_period(registry, world):
    with pytest.raises(ValidationError) as caught:
        services.rental_create(
            actor=world.users["worker"], house=registry.house_a,
            contract_start=datetime.date(2026, 5, 1), contract_end=datetime.date(2026, 4, 1),
            letter_signed=True,
        )  # fmt: skip
    assert {"landlord_name", "contract_end", "letter_signed_on"} <= set(caught.value.message_dict)


def test_venues_not_inspected_this_month_are_listed(registry, world):
    with time_machine.travel(datetime.datetime(2026, 5, 20, 4, tzinfo=datetime.UTC)):
        services.venue_inspect(
            actor=world.users["worker"], venue=registry.venue_a,
            inspected_on=datetime.date(2026, 5, 18), result="passed", signed_off_by="钱经理",
        )  # fmt: skip
        assert not Venue.objects.not_inspected_this_month().exists()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 4, tzinfo=datetime.UTC)):
        assert list(Venue.objects.not_inspected_this_month()) == [registry.venue_a]


# --- Search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [("zs", ["张三"]), ("ZS", ["张三"]), ("zhangsan", ["张三"]), ("张三", ["张三"]),
     ("5678", ["张三"]), ("678", ["张三"]), ("13812345678", ["张三"]), ("138 1234 5678", ["张三"]),
     (make_id("19850312", 123), ["张三"]), (make_id("19850312", 123).lower(), ["张三"]),
     ("ls", []), ("王五", ["王五"]), ("0000", [])],
)  # fmt: skip
def test_community_staff_find_residents_by_name_initials_phone_digits_or_id(
    registry, world, query, expected
):
    found = residents_for(world.users["community"], query=query)
    assert [r.name for r in found] == expected  # 李四 lives in grid B, outside community A


def test_on_postgresql_names_have_a_trigram_index_the_planner_uses(registry):
    if connection.vendor != "postgresql":
        pytest.skip("trigram search is a PostgreSQL feature; SQLite scans")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'residents_resident_name_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM residents_resident WHERE name LIKE '%张三丰%'")
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "residents_resident_name_trgm" in plan
