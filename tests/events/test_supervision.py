"""Supervision (督办): leaders and dispatch centres press the units holding an overdue event; the
notice lands in the holders' notifications and the flow log, and the month's supervised
events are counted per unit for the assessment."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events import services
from events.choices import AlertLevel
from events.models import FlowEntry, Supervision
from events.selectors import supervised_counts, supervision_rows
from events.workflow import EventStatus
from governance.accounts.roles import Role
from governance.accounts.services import role_assign, user_create
from governance.notifications.models import Notification
from tests.events.helpers import IN_GRID_B, MONDAY_9, at, fresh, report, walk
from tests.factories import PASSWORD

RED_MOMENT = at(2026, 11, 23, 17)


@pytest.fixture
def red_event(world, police_item):
    """An event whose task nobody signed for: red at Monday 17:00."""
    event = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    services.sweep_alerts(now=RED_MOMENT)
    return fresh(event)


def test_a_leader_presses_the_unit_holding_a_red_event(
    world, red_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        supervision = services.supervision_issue(
            event=red_event, actor=world.users["leader"], note="请今日内签收并反馈进展",
            now=RED_MOMENT,
        )  # fmt: skip

    assert list(supervision.units.all()) == [world.units["police_a"]]
    assert supervision.alert_level == AlertLevel.RED
    entry = FlowEntry.objects.get(event=red_event, action="supervise")
    assert entry.comment == "请今日内签收并反馈进展"
    assert entry.actor == world.users["leader"]
    assert entry.data["units"] == ["西陵派出所"]
    notice = Notification.objects.get(recipient=world.users["dept"])
    assert "请今日内签收并反馈进展" in notice.text
    assert red_event.number in notice.text


def test_an_event_at_a_dispatch_centre_presses_its_dispatchers(
    world, police_item, django_capture_on_commit_callbacks
):
    event = walk(world, police_item, EventStatus.GRABBED, now=MONDAY_9)
    services.sweep_alerts(now=RED_MOMENT)

    with django_capture_on_commit_callbacks(execute=True):
        supervision = services.supervision_issue(
            event=event, actor=world.users["district"], note="请尽快派单", now=RED_MOMENT
        )

    assert list(supervision.units.all()) == [world.units["street_centre_a"]]
    assert Notification.objects.filter(recipient=world.users["street"]).count() == 1


def test_only_leaders_and_dispatch_centres_of_the_area_may_supervise(world, red_event):
    other_street = user_create(actor=world.users["admin"], username="street_b",
                               password=PASSWORD, full_name="孙调度")  # fmt: skip
    role_assign(actor=world.users["admin"], user=other_street, role=Role.STREET_DISPATCHER,
                area=world.street_b)  # fmt: skip

    for actor in (
        world.users["dept"],
        world.users["worker"],
        world.users["petition"],
        other_street,
    ):
        with pytest.raises(PermissionDenied):
            services.supervision_issue(event=red_event, actor=actor, note="督办")
    for persona in ("street", "district", "leader", "admin"):
        services.supervision_issue(event=red_event, actor=world.users[persona], note="督办")
    assert Supervision.objects.filter(event=red_event).count() == 4


def test_a_notice_needs_words_and_an_open_event_and_leaves_nothing_when_refused(
    world, police_item, red_event
):
    closed = walk(world, police_item, EventStatus.CLOSED, now=MONDAY_9)

    with pytest.raises(ValidationError) as empty:
        services.supervision_issue(event=red_event, actor=world.users["leader"], note="  ")
    with pytest.raises(ValidationError, match="no longer open"):
        services.supervision_issue(event=closed, actor=world.users["leader"], note="督办")
    with pytest.raises(ValidationError):
        services.supervision_issue(event=red_event, actor=world.users["leader"], note="长" * 501)

    assert "note" in empty.value.message_dict
    assert not Supervision.objects.exists()
    assert not FlowEntry.objects.filter(action="supervise").exists()


def test_the_supervision_list_holds_the_red_events_of_the_area_longest_red_first(
    world, police_item
):
    early = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    later = walk(world, police_item, EventStatus.DISPATCHED, now=at(2026, 11, 23, 10))
    orange_only = walk(world, police_item, EventStatus.DISPATCHED, now=at(2026, 11, 23, 14))
    elsewhere = report(world, police_item, who="worker2", at=IN_GRID_B, now=MONDAY_9)
    services.sweep_alerts(now=at(2026, 11, 24, 9))

    for persona, expected in [
        ("leader", [early, later, elsewhere]),  # the district: both streets
        ("district", [early, later, elsewhere]),
        ("street", [early, later]),  # street A only
    ]:
        rows = list(supervision_rows(world.users[persona]))
        longest_red_first = sorted((fresh(e) for e in expected), key=lambda e: (e.red_at, e.pk))
        assert [e.pk for e in rows] == [e.pk for e in longest_red_first], persona
    assert fresh(orange_only).alert_level == AlertLevel.ORANGE


def test_the_month_counts_supervised_events_per_unit(world, police_item):
    u = world.users
    first = walk(world, police_item, EventStatus.DISPATCHED, now=MONDAY_9)
    second = walk(world, police_item, EventStatus.GRABBED, now=MONDAY_9)
    services.sweep_alerts(now=RED_MOMENT)
    services.supervision_issue(event=first, actor=u["leader"], note="第一次督办", now=RED_MOMENT)
    services.supervision_issue(event=first, actor=u["district"], note="再次督办",
                               now=RED_MOMENT + timedelta(days=1))  # fmt: skip
    services.supervision_issue(event=second, actor=u["leader"], note="请派单", now=RED_MOMENT)
    services.supervision_issue(event=second, actor=u["leader"], note="十二月",
                               now=at(2026, 12, 2, 10))  # fmt: skip

    november = supervised_counts(u["leader"], at(2026, 11, 1), at(2026, 12, 1))

    rows = {(r.name, r.events, r.notices) for r in november}
    assert rows == {("西陵派出所", 1, 2), ("西陵街道综治中心", 1, 1)}
    assert supervised_counts(u["worker2"], at(2026, 11, 1), at(2026, 12, 1)) == []
