"""The event pages and API as every persona (scoping), their query counts, and the forms."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Event
from events.workflow import EventStatus
from governance.worktime.calendar import working_calendar
from tests.events.helpers import IN_GRID_A, IN_GRID_B, report, walk
from tests.factories import PERSONAS

STAFF = set(PERSONAS) - {"anonymous"}
SEES_GRID_A = STAFF - {"worker2"}
SEES_GRID_B = {"worker2", "district", "leader", "petition", "admin"}
FILES = {"worker", "worker2", "community", "street", "district", "petition", "admin"}
WORKS = STAFF - {"leader"}


def only(who, status, otherwise):
    return {p: (status if p in who else otherwise) for p in STAFF}


@pytest.fixture
def scene(world, police_item, photo):
    a = walk(world, police_item, EventStatus.IN_PROGRESS, photos=[photo()])
    b = report(world, police_item, who="worker2", at=IN_GRID_B)
    return {"a": a, "b": b, "photo": a.photos.get()}


ROWS = [
    ("event list", lambda s: "/events/", only(STAFF, 200, 200)),
    ("event A", lambda s: f"/events/{s['a'].pk}/", only(SEES_GRID_A, 200, 404)),
    ("event B", lambda s: f"/events/{s['b'].pk}/", only(SEES_GRID_B, 200, 404)),
    ("photo of A", lambda s: f"/events/photos/{s['photo'].pk}/", only(SEES_GRID_A, 200, 404)),
    ("report form", lambda s: "/events/report/", only(FILES, 200, 403)),
    ("nearby", lambda s: f"/events/nearby/?item={s['a'].item.pk}&lat=30.62&lng=111.21",
     only(FILES, 200, 403)),
    ("supplement A", lambda s: f"/events/{s['a'].pk}/supplement/",
     only(FILES - {"worker2"}, 200, 404) | {"leader": 403, "dept": 403, "mediator": 403}),
    ("street console", lambda s: "/events/console/", only({"street"}, 200, 403)),
    ("district console", lambda s: "/events/district/", only({"district"}, 200, 403)),
    ("inbox", lambda s: "/events/inbox/", only(WORKS, 200, 403)),
    ("my events", lambda s: "/events/mine/", only(FILES, 200, 403)),
    ("service items", lambda s: "/service-items/", only(STAFF, 200, 200)),
    ("service item", lambda s: f"/service-items/{s['a'].item.pk}/", only(STAFF, 200, 200)),
    ("new service item", lambda s: "/service-items/new/", only({"admin"}, 200, 403)),
    ("edit service item", lambda s: f"/service-items/{s['a'].item.pk}/edit/",
     only({"admin"}, 200, 403)),
    ("import service items", lambda s: "/service-items/import/", only({"admin"}, 200, 403)),
    ("export service items", lambda s: "/service-items/export/", only(STAFF, 200, 200)),
    ("notifications", lambda s: "/notifications/", only(STAFF, 200, 200)),
    ("home", lambda s: "/", only(STAFF, 200, 200)),
]  # fmt: skip
API_ROWS = [
    ("api events", lambda s: "/api/v1/events/", only(STAFF, 200, 200)),
    ("api event A", lambda s: f"/api/v1/events/{s['a'].pk}/", only(SEES_GRID_A, 200, 404)),
    ("api event B", lambda s: f"/api/v1/events/{s['b'].pk}/", only(SEES_GRID_B, 200, 404)),
    ("api nearby", lambda s: f"/api/v1/events/nearby/?item={s['a'].item.pk}&lat=30.62&lng=111.21",
     only(FILES, 200, 403)),
    ("api service items", lambda s: "/api/v1/service-items/", only(STAFF, 200, 200)),
]  # fmt: skip

CASES = [(n, u, p, e[p]) for n, u, e in ROWS for p in sorted(STAFF)]
API_CASES = [(n, u, p, e[p]) for n, u, e in API_ROWS for p in sorted(STAFF)]


@pytest.mark.parametrize(("name", "url", "persona", "status"), CASES, ids=str)
def test_each_persona_gets_the_page_status_its_scope_allows(
    client_for, scene, name, url, persona, status
):
    response = client_for(persona).get(url(scene))
    assert response.status_code == status, f"{persona} GET {name}"


@pytest.mark.parametrize(("name", "url", "persona", "status"), API_CASES, ids=str)
def test_each_persona_gets_the_api_status_its_scope_allows(
    client_for, scene, name, url, persona, status
):
    response = client_for(persona).get(url(scene), HTTP_ACCEPT="application/json")
    assert response.status_code == status, f"{persona} GET {name}"
    if status >= 400:
        assert response.json()["error"]["status"] == status


@pytest.mark.parametrize(("name", "url", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client_for, scene, name, url, expected):
    response = client_for("anonymous").get(url(scene))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_an_event_list_of_another_grid_does_not_show(client_for, scene):
    page = client_for("worker2").get("/events/").content.decode()
    assert scene["b"].number in page
    assert scene["a"].number not in page


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "url"),
    [("street", "/events/console/?tab=all"), ("street", "/events/console/?tab=handling"),
     ("district", "/events/district/?tab=grab_window"), ("dept", "/events/inbox/?tab=progress"),
     ("worker", "/events/mine/?tab=mine"), ("leader", "/events/"), ("leader", "/api/v1/events/"),
     ("worker", "/"), ("street", "/")],
)  # fmt: skip
def test_lists_cost_the_same_queries_for_3_and_for_15_events(
    client_for, world, police_item, persona, url
):
    client = client_for(persona)
    for _ in range(3):
        walk(world, police_item, EventStatus.IN_PROGRESS)
    few = _queries(client, url)
    for _ in range(12):
        walk(world, police_item, EventStatus.IN_PROGRESS)
    cache.clear()
    working_calendar()  # a flushed cache rebuilds the calendar once per process (2 queries)
    many = _queries(client, url)
    assert many <= few + 1, (few, many)  # +1: a second page of the paginator may appear
    assert many <= 30


@pytest.mark.parametrize(
    ("persona", "url"),
    [("street", "/events/console/?tab=grab"), ("district", "/events/district/?tab=grab_window"),
     ("leader", "/events/")],
)  # fmt: skip
def test_lists_of_events_not_yet_dispatched_cost_the_same_queries_for_3_and_for_15(
    client_for, world, police_item, persona, url
):
    """Rows without tasks show the suggested unit: it comes with the rows, not one by one."""
    client = client_for(persona)
    events = [walk(world, police_item, EventStatus.REPORTED) for _ in range(3)]
    assert events[0].suggested_unit is not None
    few = _queries(client, url)
    for _ in range(12):
        walk(world, police_item, EventStatus.REPORTED)
    cache.clear()
    working_calendar()
    many = _queries(client, url)
    assert many <= few + 1, (few, many)


def test_the_event_page_is_bounded_however_long_its_flow_log(
    client_for, world, police_item, photo, django_assert_max_num_queries
):
    event = walk(world, police_item, EventStatus.IN_PROGRESS)
    task = event.tasks.get()
    for n in range(10):
        services.task_progress(event=event, task=task, actor=world.users["dept"], note=f"进展{n}",
                               photos=[photo()])  # fmt: skip
    client = client_for("dept")
    with django_assert_max_num_queries(45):
        response = client.get(f"/events/{event.pk}/")
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/api/v1/events/{event.pk}/").status_code == 200


# --- Forms --------------------------------------------------------------------------------------


def test_a_grid_worker_reports_through_the_form_and_gets_a_number(client_for, world, police_item,
                                                                   photo):  # fmt: skip
    lat, lng = IN_GRID_A
    response = client_for("worker").post("/events/report/", {
        "item": police_item.pk, "urgency": "important", "description": "路灯不亮", "lat": lat,
        "lng": lng, "address": "解放路1号", "source": "grid_patrol", "photos": [photo()],
    })  # fmt: skip
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}/"
    assert event.photos.count() == 1
    assert event.number.startswith("SJ")


def test_a_report_outside_every_grid_shows_the_message_at_the_location(client_for, world,
                                                                        police_item):  # fmt: skip
    response = client_for("worker").post("/events/report/", {
        "item": police_item.pk, "urgency": "normal", "description": "x", "lat": 10, "lng": 10,
        "source": "grid_patrol",
    })  # fmt: skip
    assert response.status_code == 200
    assert "no grid" in response.context["form"].errors.get("lat", [""])[0], response.context[
        "form"
    ].errors
    assert not Event.objects.exists()


def test_a_transition_from_the_page_and_a_stale_page_gets_a_conflict_message(
    client_for, world, police_item
):
    event = report(world, police_item)
    street = client_for("street")
    page = street.get(f"/events/{event.pk}/").content.decode()
    assert 'data-action="grab"' in page
    services.event_reject(event=event, actor=world.users["street"], reason="无效")
    response = street.post(f"/events/{event.pk}/grab/", {"seen": "reported"}, follow=True)
    text = response.content.decode()
    assert "alert-danger" in text
    assert event.number in text
    assert event.flow.filter(action="grab").count() == 0


def test_a_refused_transition_re_renders_the_page_with_the_error(client_for, world, police_item):
    event = walk(world, police_item, EventStatus.GRABBED)
    response = client_for("street").post(f"/events/{event.pk}/return/",
                                         {"seen": "grabbed", "reason": ""})  # fmt: skip
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_bulk_grab_grabs_each_event_and_reports_each_refusal(client_for, world, police_item):
    first, second = report(world, police_item), report(world, police_item)
    services.event_grab(event=second, actor=world.users["street"])
    response = client_for("street").post("/events/bulk/", {
        "action": "grab", "events": [first.pk, second.pk], "next": "/events/console/"},
        follow=True)  # fmt: skip
    first.refresh_from_db()
    assert first.status == EventStatus.GRABBED
    messages = [str(m) for m in response.context["messages"]]
    assert any(first.number in m for m in messages)
    assert any(second.number in m for m in messages)


def test_the_api_performs_a_transition_and_answers_a_race_with_409(client_for, world,
                                                                    police_item):  # fmt: skip
    event = walk(world, police_item, EventStatus.DISPATCHED)
    task = event.tasks.get()
    dept = client_for("dept")
    response = dept.post(f"/api/v1/events/{event.pk}/sign/", {"task": task.pk},
                         content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_progress"
    again = dept.post(f"/api/v1/events/{event.pk}/sign/", {"task": task.pk},
                      content_type="application/json")  # fmt: skip
    assert again.status_code == 400
    assert again.json()["error"]["message"]
    leader = client_for("leader").post(f"/api/v1/events/{event.pk}/complete/",
                                       {"task": task.pk, "result": "x"},
                                       content_type="application/json")  # fmt: skip
    assert leader.status_code == 403


def test_the_api_reports_an_event(client_for, world, police_item):
    lat, lng = IN_GRID_A
    response = client_for("worker").post("/api/v1/events/", {
        "item": police_item.pk, "urgency": "normal", "description": "占道", "lat": lat, "lng": lng,
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "reported"
    assert response.json()["flow"][0]["action"] == "report"
