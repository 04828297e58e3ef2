"""Duplicates: open events of the same item within the item's radius are offered."""

from events import services
from events.models import ServiceItem
from events.workflow import EventStatus
from tests.events.helpers import IN_GRID_A, report

# About 11 m per 0.0001 degree of latitude.
LAT, LNG = IN_GRID_A


def test_an_open_event_of_the_same_item_within_the_radius_is_offered(world, police_item):
    original = report(world, police_item)
    found = services.nearby_open_events(item=police_item, lat=LAT + 0.0008, lng=LNG)  # ~89 m
    assert [n.event for n in found] == [original]
    assert 85 < found[0].distance_m < 95


def test_one_outside_the_radius_is_not(world, police_item):
    report(world, police_item)
    assert services.nearby_open_events(item=police_item, lat=LAT + 0.0010, lng=LNG) == []  # ~111 m


def test_the_radius_is_the_items_own(world, police_item):
    report(world, police_item)
    services.service_item_update(actor=world.users["admin"], item=police_item,
                                 duplicate_radius_m=200)  # fmt: skip
    police_item.refresh_from_db()
    assert len(services.nearby_open_events(item=police_item, lat=LAT + 0.0010, lng=LNG)) == 1


def test_other_items_and_closed_events_are_not_offered(world, police_item):
    other = ServiceItem.objects.get(code="E010102")
    report(world, other)
    closed = report(world, police_item)
    services.event_reject(event=closed, actor=world.users["street"], reason="无效")
    assert services.nearby_open_events(item=police_item, lat=LAT, lng=LNG) == []


def test_marking_a_duplicate_links_both_ways_and_closes_it(world, police_item):
    original = report(world, police_item)
    copy = report(world, police_item, description="同一个井盖")
    services.event_reject(event=copy, actor=world.users["street"], reason="重复上报",
                          duplicate_of=original)  # fmt: skip
    assert copy.status == EventStatus.REJECTED
    assert copy.duplicate_of == original
    assert list(original.duplicates.all()) == [copy]
    assert original.flow.filter(action="duplicate_linked", data__duplicate=copy.number).exists()


def test_a_reporter_can_add_to_the_open_event_instead(world, police_item, photo):
    original = report(world, police_item)
    services.event_supplement(event=original, actor=world.users["worker"], comment="又看到一处",
                              photos=[photo()])  # fmt: skip
    entry = original.flow.get(action="supplement")
    assert entry.photos.count() == 1
