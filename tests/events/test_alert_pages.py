"""The colours everywhere: badges with words on consoles, inbox, event page and "my events";
counts per colour, a colour filter and a sort; the API fields; the supervision list and the
alert settings pages as every persona."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.choices import AlertLevel
from events.models import AlertSettings, Event, Supervision, UnitHead
from events.workflow import EventStatus
from governance.audit.models import AuditEntry
from tests.events.helpers import MONDAY_9, at, fresh, report, walk
from tests.factories import PERSONAS

STAFF = set(PERSONAS) - {"anonymous"}
SEES_GRID_A = STAFF - {"worker2"}
SUPERVISORS = {"street", "district", "leader", "admin"}
RED_MOMENT = at(2026, 11, 23, 17)


def only(who, status, otherwise):
    return {p: (status if p in who else otherwise) for p in STAFF}


@pytest.fixture
def colours(world, police_item):
    """One event of grid A in each colour at Monday 17:00 (street A holds them all)."""
    # Four working hours to dispatch; the colours start at 2, 3, 4 and 6 working hours.
    red = walk(world, police_item, EventStatus.GRABBED, now=MONDAY_9)  # red at 17:00
    orange = walk(world, police_item, EventStatus.GRABBED, now=at(2026, 11, 23, 10, 30))  # 16:30
    yellow = walk(world, police_item, EventStatus.GRABBED, now=at(2026, 11, 23, 14))  # 17:00
    blue = walk(world, police_item, EventStatus.GRABBED, now=at(2026, 11, 23, 15))  # 17:00
    calm = walk(world, police_item, EventStatus.GRABBED, now=at(2026, 11, 23, 16, 50))
    services.sweep_alerts(now=RED_MOMENT)
    rows = {"red": red, "orange": orange, "yellow": yellow, "blue": blue, "none": calm}
    assert {code: fresh(e).alert_code for code, e in rows.items()} == {c: c for c in rows}
    return rows


@pytest.fixture
def at_red_moment(colours):
    import time_machine

    with time_machine.travel(RED_MOMENT, tick=False):
        yield colours


# --- Every persona on the new pages -------------------------------------------------------------

ROWS = [
    ("supervision list", lambda s: "/supervision/", only(SUPERVISORS, 200, 403)),
    ("supervision list, another month", lambda s: "/supervision/?month=2026-10",
     only(SUPERVISORS, 200, 403)),
    ("alert settings", lambda s: "/alert-settings/", only({"admin"}, 200, 403)),
]  # fmt: skip
CASES = [(n, u, p, e[p]) for n, u, e in ROWS for p in sorted(STAFF)]
# Issuing a notice on the red event of grid A: those who may supervise there are sent back to
# the event page; those who see the event but may not, 403; those who cannot see it, 404.
SUPERVISE = {p: (302 if p in SUPERVISORS else 403 if p in SEES_GRID_A else 404) for p in STAFF}


@pytest.mark.parametrize(("name", "url", "persona", "status"), CASES, ids=str)
def test_each_persona_gets_the_status_its_role_allows(
    client_for, colours, name, url, persona, status
):
    assert client_for(persona).get(url(colours)).status_code == status, f"{persona} GET {name}"


@pytest.mark.parametrize(("name", "url", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_an_anonymous_visitor_is_sent_to_log_in(client_for, colours, name, url, expected):
    response = client_for("anonymous").get(url(colours))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(("persona", "status"), sorted(SUPERVISE.items()))
def test_issuing_a_notice_is_scoped_like_everything_else(client_for, colours, persona, status):
    red = colours["red"]

    response = client_for(persona).post(f"/events/{red.pk}/supervise/", {"note": "请立即处理"})

    assert response.status_code == status, persona
    assert Supervision.objects.filter(event=red).count() == (1 if status == 302 else 0)


# --- Badges, counts, filter and sort ------------------------------------------------------------


def _row_codes(html: str) -> list[str]:
    return re.findall(r'<tr class="[^"]*" data-alert="(\w+)"', html)


def test_the_street_console_counts_filters_and_sorts_by_colour(client_for, at_red_moment):
    client = client_for("street")

    page = client.get("/events/console/?tab=all").content.decode()
    for code in ("blue", "yellow", "orange", "red"):
        chip = re.search(rf'data-alert="{code}"[^>]*>.*?<span class="badge">(\d+)</span>', page)
        assert chip is not None, code
        assert chip.group(1) == "1", code
    assert "Red alert · overdue" in page  # words, not colour alone
    assert "Blue alert · 2h left" in page

    only_red = client.get("/events/console/?tab=all&alert=red").content.decode()
    assert _row_codes(only_red) == ["red"]

    sorted_rows = client.get("/events/console/?tab=all&sort=alert").content.decode()
    assert _row_codes(sorted_rows) == ["red", "orange", "yellow", "blue", "none"]


def test_the_inbox_shows_each_task_colour_and_filters_by_it(client_for, world, police_item):
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    walk(world, police_item, EventStatus.DISPATCHED, now=at(2026, 11, 23, 16))
    services.sweep_alerts(now=RED_MOMENT)

    import time_machine

    with time_machine.travel(RED_MOMENT, tick=False):
        page = client_for("dept").get("/events/inbox/?tab=sign").content.decode()
        red_only = client_for("dept").get("/events/inbox/?tab=sign&alert=red").content.decode()

    assert page.count('class="badge alert-badge alert-red"') == 1
    assert "Red alert · overdue 2h" in page
    assert red_only.count(event.number) == 1
    assert red_only.count("SJ20261123-") == 1


def test_the_event_page_shows_the_deadline_thresholds_and_the_alert_history(
    client_for, at_red_moment
):
    red = at_red_moment["red"]
    services.alerts_notify(now=RED_MOMENT)

    page = client_for("street").get(f"/events/{red.pk}/").content.decode()

    assert "2026-11-23 15:00" in page  # the deadline
    assert "overdue 2h" in page
    for moment in ("11-23 11:00", "11-23 12:00", "11-23 15:00", "11-23 17:00"):
        assert moment in page
    assert page.count('class="list-group-item d-flex flex-wrap gap-2 align-items-center '
                      'alert-history"') == 4  # fmt: skip
    assert f'action="/events/{red.pk}/supervise/"' in page


def test_my_reports_show_the_colour_of_what_i_filed(client_for, at_red_moment):
    page = client_for("worker").get("/events/mine/?tab=mine").content.decode()

    assert "Red alert · overdue" in page
    assert "Orange alert · overdue" in page


def test_the_leader_home_counts_open_events_per_colour(client_for, at_red_moment):
    page = client_for("leader").get("/").content.decode()

    assert 'href="/events/?alert=red"' in page
    assert "/supervision/" in page


def test_the_event_list_filters_by_colour(client_for, at_red_moment):
    page = client_for("leader").get("/events/?alert=orange").content.decode()

    assert _row_codes(page) == ["orange"]


def test_the_supervision_list_shows_who_holds_each_red_event_and_for_how_long(
    client_for, world, at_red_moment, police_item
):
    red = at_red_moment["red"]
    with_units = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    services.sweep_alerts(now=RED_MOMENT)

    page = client_for("leader").get("/supervision/").content.decode()

    assert red.number in page
    assert with_units.number in page
    assert at_red_moment["orange"].number not in page
    assert "西陵街道综治中心" in page  # the street holds the grabbed one
    assert "西陵派出所" in page  # the police holds the dispatched one
    assert "0min" in page  # red since 17:00, and it is 17:00


def test_the_supervision_list_issues_a_notice_and_counts_it_for_the_month(
    client_for, at_red_moment
):
    red = at_red_moment["red"]
    client = client_for("district")

    response = client.post(
        f"/events/{red.pk}/supervise/", {"note": "今日内派单", "next": "/supervision/"}
    )
    page = client.get("/supervision/?month=2026-11").content.decode()

    assert response.status_code == 302
    assert response["Location"] == "/supervision/"
    assert re.search(r"西陵街道综治中心</td><td class=\"text-end\">1</td>", page)
    empty = client.post(f"/events/{red.pk}/supervise/", {"note": ""})
    assert empty.status_code == 200
    assert Supervision.objects.count() == 1


def test_the_supervision_list_costs_the_same_queries_for_3_and_for_12_red_events(
    client_for, world, police_item
):
    client = client_for("leader")

    def queries(count: int) -> int:
        for _ in range(count):
            walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
        services.sweep_alerts(now=RED_MOMENT)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/supervision/").status_code == 200
        return len(captured)

    assert queries(3) == queries(9)


# --- The API ------------------------------------------------------------------------------------


def test_the_api_gives_deadline_colour_and_working_time_left(client_for, at_red_moment):
    red = at_red_moment["red"]
    client = client_for("leader")

    body = client.get(f"/api/v1/events/{red.pk}/").json()
    listed = client.get("/api/v1/events/?alert_level=red").json()["results"]
    ordered = client.get("/api/v1/events/?ordering=-alert_level").json()["results"]

    assert body["alert_level"] == "red"
    assert body["stage"] == "dispatch"
    assert body["deadline"] == "2026-11-23T15:00:00+08:00"
    assert body["working_time_left"] == -2 * 3600
    assert [e["number"] for e in listed] == [red.number]
    assert [e["alert_level"] for e in ordered] == ["red", "orange", "yellow", "blue", "none"]


def test_the_api_gives_each_task_its_own_clock(client_for, world, police_item):
    event = walk(world, police_item, EventStatus.IN_PROGRESS, now=MONDAY_9)

    import time_machine

    with time_machine.travel(MONDAY_9, tick=False):
        body = client_for("dept").get(f"/api/v1/events/{event.pk}/").json()

    task = body["tasks"][0]
    assert task["stage"] == "handle"
    assert task["alert_level"] == "none"
    assert task["working_time_left"] == 35 * 3600
    assert body["working_time_left"] == 35 * 3600


# --- Alert settings ----------------------------------------------------------------------------


def test_an_admin_sets_the_thresholds_on_the_settings_page_and_it_is_audited(client_for, world):
    client = client_for("admin")
    data = {"form": "settings", "blue_percent": 40, "yellow_percent": 70, "orange_percent": 100,
            "red_percent": 200, "dispatch_hours_normal": 4, "dispatch_hours_important": 2,
            "dispatch_hours_urgent": 1}  # fmt: skip

    response = client.post("/alert-settings/", data)

    assert response.status_code == 302
    row = AlertSettings.objects.get()
    assert (row.blue_percent, row.red_percent, row.updated_by) == (40, 200, world.users["admin"])
    assert AuditEntry.objects.get(action="alert_settings.update").detail["changed"] == {
        "blue_percent": [50, 40], "yellow_percent": [75, 70], "red_percent": [150, 200],
    }  # fmt: skip


def test_thresholds_out_of_order_are_refused_at_the_field_and_nothing_is_saved(client_for):
    data = {"form": "settings", "blue_percent": 80, "yellow_percent": 70, "orange_percent": 100,
            "red_percent": 150, "dispatch_hours_normal": 4, "dispatch_hours_important": 2,
            "dispatch_hours_urgent": 1}  # fmt: skip

    response = client_for("admin").post("/alert-settings/", data)

    assert response.status_code == 200
    assert "blue &lt; yellow &lt; orange &lt; red" in response.content.decode()
    # At the first colour out of order: yellow comes before blue.
    assert list(response.context["form"].errors) == ["yellow_percent"]
    assert not AlertSettings.objects.exists()


def test_an_admin_designates_and_removes_a_unit_head(client_for, world):
    client = client_for("admin")
    police = world.units["police_a"]

    client.post("/alert-settings/", {"form": "head", "unit": police.pk,
                                     "user": world.users["dept"].pk})  # fmt: skip
    head = UnitHead.objects.get()
    again = client.post("/alert-settings/", {"form": "head", "unit": police.pk,
                                             "user": world.users["dept"].pk})  # fmt: skip
    client.post(f"/alert-settings/heads/{head.pk}/remove/")

    assert "already heads" in again.content.decode()
    assert not UnitHead.objects.exists()
    assert list(AuditEntry.objects.filter(action__startswith="unit_head.").values_list(
        "action", flat=True).order_by("id")) == ["unit_head.add", "unit_head.remove"]  # fmt: skip
    assert (
        client_for("district").post(f"/alert-settings/heads/{head.pk}/remove/").status_code == 403
    )


def test_an_item_form_sets_its_own_thresholds_as_a_new_version(client_for, world, police_item):
    client = client_for("admin")
    form = client.get(f"/service-items/{police_item.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({f: form[f].value() for f in form.limit_fields})
    data.update({"category": police_item.current.category_id, "code": police_item.code,
                 "responsible_kind": "department", "department_type": "police",
                 "closing_level": "community", "duplicate_radius_m": 100, "is_active": "on",
                 "alert_blue": 25, "alert_yellow": 50, "alert_orange": 100,
                 "alert_red": 200})  # fmt: skip

    response = client.post(f"/service-items/{police_item.pk}/edit/", data)
    partial = client.post(f"/service-items/{police_item.pk}/edit/", data | {"alert_red": ""})

    assert response.status_code == 302
    police_item.refresh_from_db()
    assert police_item.current.number == 2
    assert police_item.current.alert_thresholds == {"blue": 25, "yellow": 50, "orange": 100,
                                                    "red": 200}  # fmt: skip
    assert "Give all four thresholds" in partial.content.decode()
    event = fresh(report(world, police_item, now=MONDAY_9))
    assert event.blue_at == at(2026, 11, 23, 10)
    assert Event.objects.filter(alert_level=AlertLevel.NONE).count() == 1
