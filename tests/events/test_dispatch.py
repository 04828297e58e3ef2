"""The five ways of dispatch, joint handling, send-backs and routing help."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import services
from events.models import FlowEntry, ServiceItem
from events.selectors import street_console_tabs
from events.services.intake import suggest_units
from events.workflow import EventStatus, TaskStatus
from tests.events.helpers import report, walk


def joint(world, item, now=None):
    event = walk(world, item, EventStatus.GRABBED, now=now)
    police, station = world.units["police_a"], world.units["station_a"]
    services.event_joint(event=event, actor=world.users["street"], to_units=[police, station],
                         lead=police, now=now)  # fmt: skip
    return event, event.tasks.get(unit=police), event.tasks.get(unit=station)


def test_a_joint_event_is_handled_only_when_every_task_is_done(world, police_item):
    u = world.users
    event, police, station = joint(world, police_item)
    assert police.is_lead
    assert not station.is_lead

    services.task_sign(event=event, task=police, actor=u["dept"])
    services.task_complete(event=event, task=police, actor=u["dept"], result="已约谈当事人")
    assert event.status == EventStatus.IN_PROGRESS

    services.task_sign(event=event, task=station, actor=u["community"])
    assert event.status == EventStatus.IN_PROGRESS
    services.task_complete(event=event, task=station, actor=u["community"], result="已清理")

    assert event.status == EventStatus.HANDLED
    assert "西陵派出所: 已约谈当事人" in event.result
    assert "四方堰社区工作站: 已清理" in event.result


def test_a_send_back_goes_to_the_dispatcher_without_losing_the_other_tasks(
    world, police_item, django_capture_on_commit_callbacks
):
    u = world.users
    event, police, station = joint(world, police_item)
    services.task_sign(event=event, task=police, actor=u["dept"])

    with django_capture_on_commit_callbacks(execute=True):
        services.task_send_back(
            event=event, task=station, actor=u["community"], reason="非社区职责"
        )

    police.refresh_from_db()
    assert police.status == TaskStatus.IN_PROGRESS
    assert event.status == EventStatus.IN_PROGRESS
    console = [t.key for t in street_console_tabs(u["street"]) if t.count]
    assert "handling" in console
    notice = u["street"].notifications.get()
    assert "四方堰社区工作站" in notice.text
    assert event.number in notice.text

    services.event_reassign(event=event, actor=u["street"], task=station,
                            to_unit=world.units["mediation_a"])  # fmt: skip
    new = event.tasks.get(unit=world.units["mediation_a"])
    assert new.status == TaskStatus.AWAITING_SIGN
    services.task_complete(event=event, task=police, actor=u["dept"], result="已处理")
    assert event.status == EventStatus.IN_PROGRESS  # the mediation body is not done yet


def test_when_the_only_task_is_sent_back_the_event_waits_for_its_street(world, police_item):
    event = walk(world, police_item, EventStatus.SENT_BACK)
    assert event.owner_level == "street"
    services.event_split(event=event, actor=world.users["street"],
                         to_unit=world.units["station_a"])  # fmt: skip
    assert event.status == EventStatus.DISPATCHED
    old = event.tasks.get(unit=world.units["police_a"])
    assert old.rerouted


def test_the_street_cannot_summon_jointly_for_an_item_that_does_not_allow_it(world):
    item = ServiceItem.objects.get(code="E010102")  # 乱堆乱放: the community's, no joint summons
    event = walk(world, item, EventStatus.GRABBED)
    with pytest.raises(ValidationError, match="to_units"):
        services.event_joint(
            event=event, actor=world.users["street"], lead=world.units["police_a"],
            to_units=[world.units["police_a"], world.units["station_a"]],
        )  # fmt: skip


def test_a_split_goes_to_street_level_units_only(world, police_item):
    event = walk(world, police_item, EventStatus.GRABBED)
    with pytest.raises(ValidationError) as caught:
        services.event_split(event=event, actor=world.users["street"], to_unit=world.units["urban"])
    assert "district" in str(caught.value.message_dict["to_units"]) or caught.value.message_dict


def test_a_unit_without_jurisdiction_over_the_grid_is_refused(world, police_item):
    event = walk(world, police_item, EventStatus.GRABBED)
    with pytest.raises(ValidationError):
        services.event_split(event=event, actor=world.users["street"],
                             to_unit=world.units["police_b"])  # fmt: skip


def test_a_returned_case_is_dispatched_by_the_district(
    world, police_item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = walk(world, police_item, EventStatus.RETURNED)
    assert world.users["district"].notifications.filter(verb__contains="returned").exists()
    with pytest.raises(PermissionDenied, match=r"(?i)district|区"):
        services.event_joint(event=event, actor=world.users["street"], lead=world.units["urban"],
                             to_units=[world.units["urban"], world.units["police_a"]])  # fmt: skip
    services.event_dispatch(event=event, actor=world.users["district"],
                            to_units=[world.units["urban"]])  # fmt: skip
    assert event.status == EventStatus.DISPATCHED
    assert event.tasks.get().unit == world.units["urban"]


# --- The grab window ----------------------------------------------------------------------------


def test_during_the_grab_window_the_street_grabs_and_the_district_cannot_dispatch(
    world, police_item, settings
):
    settings.EVENT_GRAB_WINDOW_MINUTES = 30
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        event = report(world, police_item)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        with pytest.raises(PermissionDenied):
            services.event_dispatch(event=event, actor=world.users["district"],
                                    to_units=[world.units["urban"]])  # fmt: skip
        services.event_grab(event=event, actor=world.users["street"])
    assert event.status == EventStatus.GRABBED


def test_after_the_grab_window_the_district_dispatches_and_the_street_cannot_grab(
    world, police_item, settings
):
    settings.EVENT_GRAB_WINDOW_MINUTES = 30
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        event = report(world, police_item)
    from events.selectors import district_console_tabs

    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        with pytest.raises(PermissionDenied):
            services.event_grab(event=event, actor=world.users["street"])
        waiting = next(t for t in district_console_tabs(world.users["district"]) if
                       t.key == "dispatch")  # fmt: skip
        assert list(waiting.queryset) == [event]
        services.event_dispatch(event=event, actor=world.users["district"],
                                to_units=[world.units["urban"]])  # fmt: skip
    assert event.status == EventStatus.DISPATCHED
    assert event.owner_level == "district"


# --- Routing help -------------------------------------------------------------------------------


def test_the_suggested_unit_is_the_most_local_department_of_the_items_type(world, police_item):
    event = report(world, police_item)
    assert event.suggested_unit == world.units["police_a"]
    urban = ServiceItem.objects.get(code="E010203")  # 路灯损坏: urban management
    assert suggest_units(urban.current, world.grid_a) == [world.units["urban"]]
    station_item = ServiceItem.objects.get(code="E010102")  # 乱堆乱放: the community station
    assert suggest_units(station_item.current, world.grid_a) == [world.units["station_a"]]
    assert suggest_units(station_item.current, world.grid_b) == [world.units["station_b"]]


def test_every_step_is_logged_once_with_who_and_which_unit(world, police_item):
    event = walk(world, police_item, EventStatus.CLOSED)
    entries = list(FlowEntry.objects.filter(event=event))
    assert [e.action for e in entries] == ["report", "grab", "split", "sign", "complete", "verify",
                                           "rate", "close"]  # fmt: skip
    sign = entries[3]
    assert sign.actor == world.users["dept"]
    assert sign.actor_unit == world.units["police_a"]
    assert (sign.from_status, sign.to_status) == ("dispatched", "in_progress")
    with pytest.raises(ValueError, match="immutable"):
        sign.save()
