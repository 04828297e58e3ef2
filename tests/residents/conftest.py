"""A small registry on top of the test world: a building, a house and residents in grid A and
in grid B, a special-care membership in each, a rental and a venue in grid A."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from residents import services
from residents.choices import CareLevel, RegistrationType, Relation, VenueType
from residents.defaults import install_default_groups
from residents.identity import check_digit
from residents.models import Building, CareGroup, CareMembership, House, Rental, Resident, Venue
from tests.factories import World

# Points inside grid A (lng 111.20-111.22) and grid B (lng 111.24-111.28), lat 30.60-30.64.
POINT_A = (111.21, 30.62)
POINT_A2 = (111.23, 30.62)
POINT_B = (111.26, 30.62)


def make_id(birth: str = "19850312", sequence: int = 123, region: str = "420502") -> str:
    """A valid 18-character ID number (GB 11643) for a birth date (YYYYMMDD)."""
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + check_digit(first17)


@dataclass
class Registry:
    world: World
    building_a: Building
    house_a: House
    resident_a: Resident
    building_b: Building
    house_b: House
    resident_b: Resident
    membership_a: CareMembership
    membership_b: CareMembership
    rental_a: Rental
    venue_a: Venue
    extra: dict = field(default_factory=dict)


def build_registry(world: World) -> Registry:
    install_default_groups()  # a transactional test elsewhere may have flushed them
    root = world.users["admin"]
    building_a = services.building_create(
        actor=root, name="1栋", lng=POINT_A[0], lat=POINT_A[1], floors=6, units=2
    )
    house_a = services.house_create(actor=root, building=building_a, unit=1, floor=3, room="301")
    resident_a = services.resident_create(
        actor=root, house=house_a, name="张三", id_number=make_id("19850312", 123),
        phone="13812345678", ethnicity="01", registration_type=RegistrationType.LOCAL,
        relation=Relation.HEAD,
    )  # fmt: skip
    building_b = services.building_create(
        actor=root, name="8栋", lng=POINT_B[0], lat=POINT_B[1], floors=18, units=1
    )
    house_b = services.house_create(actor=root, building=building_b, unit=1, floor=5, room="502")
    resident_b = services.resident_create(
        actor=root, house=house_b, name="李四", id_number=make_id("19790101", 456),
        phone="13900001111", ethnicity="01", registration_type=RegistrationType.FLOATING,
    )  # fmt: skip
    started = timezone.localdate() - datetime.timedelta(days=60)
    elderly = CareGroup.objects.get(code="empty_nest_elderly")
    membership_a = services.membership_create(
        actor=root, resident=resident_a, group=elderly, level=CareLevel.HIGH, started_on=started
    )
    membership_b = services.membership_create(
        actor=root, resident=resident_b, group=elderly, level=CareLevel.HIGH, started_on=started
    )
    tenant = services.resident_create(
        actor=root, house=house_a, name="王五", id_number=make_id("19920704", 789),
        ethnicity="01", registration_type=RegistrationType.FLOATING, relation=Relation.TENANT,
    )  # fmt: skip
    rental_a = services.rental_create(
        actor=root, house=house_a, landlord_name="赵六", landlord_phone="13700002222",
        landlord_id_number=make_id("19600505", 321), tenants=[tenant],
        contract_start=started, contract_end=started + datetime.timedelta(days=365),
    )  # fmt: skip
    venue_a = services.venue_create(
        actor=root, grid=world.grid_a, name="如家酒店", venue_type=VenueType.HOTEL,
        address="解放路1号", contact_name="钱经理", contact_phone="13600003333",
    )  # fmt: skip
    return Registry(
        world, building_a, house_a, resident_a, building_b, house_b, resident_b,
        membership_a, membership_b, rental_a, venue_a, {"tenant": tenant},
    )  # fmt: skip


@pytest.fixture
def registry(world) -> Registry:
    return build_registry(world)
