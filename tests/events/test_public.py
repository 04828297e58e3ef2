"""The residents' side: a report without an account, following it by number and phone digits,
rating it; rate-limited, with no personal data shown."""

import pytest

from events.models import Event
from events.workflow import EventStatus
from tests.events.helpers import IN_GRID_A, walk

PHONE = "13812345678"


@pytest.fixture
def resident_event(world, police_item):
    """A resident's report, accepted and worked through to verification."""
    from events import services

    event = walk(world, police_item, EventStatus.PENDING, description="小区门口路灯坏了")
    services.event_accept(event=event, actor=world.users["street"])
    services.event_grab(event=event, actor=world.users["street"])
    services.event_split(event=event, actor=world.users["street"], to_unit=world.units["police_a"])
    task = event.tasks.get()
    services.task_sign(event=event, task=task, actor=world.users["dept"])
    services.task_complete(event=event, task=task, actor=world.users["dept"], result="已更换灯泡")
    services.event_verify(event=event, actor=world.users["worker"], passed=True)
    return event


def track(client, number, last4):
    return client.post("/track/", {"number": number, "last4": last4}, follow=True)


def test_a_resident_reports_without_an_account_and_it_awaits_acceptance(
    client, world, police_item, photo
):
    lat, lng = IN_GRID_A
    response = client.post("/track/report/", {
        "item": police_item.pk, "urgency": "normal", "description": "楼下有人占道摆摊",
        "lat": lat, "lng": lng, "contact_name": "王女士", "contact_phone": PHONE,
        "photos": [photo()],
    }, follow=True)  # fmt: skip
    event = Event.objects.get()
    assert (event.status, event.source, event.reporter) == ("pending", "resident", None)
    assert PHONE not in str(Event.objects.values().get())  # only keyed hashes are stored
    assert event.number in response.content.decode()


def test_the_resident_follows_the_report_and_sees_no_personal_data(client, resident_event):
    page = track(client, resident_event.number, PHONE[-4:]).content.decode()
    assert resident_event.number in page
    assert "已更换灯泡" in page
    for private in ("王", "张三", "吴警官", PHONE, "小区门口路灯坏了"):
        assert private not in page, private


def test_wrong_digits_show_nothing_and_count_towards_the_limit(client, resident_event, settings):
    settings.EVENT_TRACK_LIMIT_PER_NUMBER = 3
    for _ in range(3):
        page = track(client, resident_event.number, "0000").content.decode()
        assert "已更换灯泡" not in page
    page = track(client, resident_event.number, PHONE[-4:]).content.decode()
    assert "已更换灯泡" not in page  # even the right digits wait an hour now
    assert "12345" in page


def test_lookups_are_limited_per_client_address(client, resident_event, settings):
    settings.EVENT_TRACK_LIMIT_PER_IP = 2
    track(client, "SJ20000101-0001", "1234")
    track(client, "SJ20000101-0002", "1234")
    page = track(client, resident_event.number, PHONE[-4:]).content.decode()
    assert "已更换灯泡" not in page


def test_the_status_page_needs_the_proof_first(client, resident_event):
    response = client.get(f"/track/{resident_event.number}/")
    assert response.status_code == 403


def test_the_resident_rates_and_unsatisfied_reopens(client, resident_event):
    track(client, resident_event.number, PHONE[-4:])
    rating = {"rating": "unsatisfied", "comment": "晚上还是不亮"}
    response = client.post(f"/track/{resident_event.number}/rate/", rating, follow=True)
    assert response.status_code == 200
    resident_event.refresh_from_db()
    assert resident_event.status == EventStatus.IN_PROGRESS
    assert resident_event.reopen_count == 1
    assert resident_event.flow.last().actor is None


def test_the_public_pages_need_no_login(client, world):
    assert client.get("/track/").status_code == 200
    assert client.get("/track/report/").status_code == 200
