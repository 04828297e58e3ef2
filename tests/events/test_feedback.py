"""Verification on site, the reporter's rating, reopening and the automatic closing."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import services
from events.choices import Rating
from events.tasks import auto_close_unrated
from events.workflow import EventStatus, TaskStatus
from tests.events.helpers import walk


def test_a_failed_verification_puts_the_unit_back_to_work(world, police_item):
    event = walk(world, police_item, EventStatus.HANDLED)
    services.event_verify(event=event, actor=world.users["worker"], passed=False, note="井盖仍松动")
    assert event.status == EventStatus.IN_PROGRESS
    assert event.tasks.get().status == TaskStatus.IN_PROGRESS


def test_a_failed_verification_needs_a_note(world, police_item):
    event = walk(world, police_item, EventStatus.HANDLED)
    with pytest.raises(ValidationError, match="note"):
        services.event_verify(event=event, actor=world.users["worker"], passed=False)


def test_another_grids_worker_cannot_verify(world, police_item):
    event = walk(world, police_item, EventStatus.HANDLED)
    with pytest.raises(PermissionDenied):
        services.event_verify(event=event, actor=world.users["worker2"], passed=True)


def test_an_unsatisfied_rating_reopens_the_event_and_is_counted(world, police_item):
    event = walk(world, police_item, EventStatus.VERIFIED)
    services.event_rate(event=event, actor=world.users["worker"], rating=Rating.UNSATISFIED,
                        comment="晚上仍有积水")  # fmt: skip
    assert event.status == EventStatus.IN_PROGRESS
    assert event.reopen_count == 1
    assert event.rating == ""
    assert event.flow.filter(action="reopen", data__rating="unsatisfied").count() == 1
    task = event.tasks.get()
    services.task_complete(event=event, task=task, actor=world.users["dept"], result="已疏通")
    services.event_verify(event=event, actor=world.users["worker"], passed=True)
    services.event_rate(event=event, actor=world.users["worker"], rating=Rating.SATISFIED)
    services.event_close(event=event, actor=world.users["street"])
    assert (event.status, event.rating, event.reopen_count) == ("closed", "satisfied", 1)


def test_closing_waits_for_a_rating(world, police_item):
    event = walk(world, police_item, EventStatus.VERIFIED)
    with pytest.raises(ValidationError, match=str(django_settings.EVENT_AUTO_CLOSE_DAYS)):
        services.event_close(event=event, actor=world.users["street"])


def test_an_event_nobody_rates_closes_after_n_days_as_not_rated(world, police_item, settings):
    settings.EVENT_AUTO_CLOSE_DAYS = 7
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        event = walk(world, police_item, EventStatus.VERIFIED)
        rated = walk(world, police_item, "verified_rated")
    with time_machine.travel(start + timedelta(days=6, hours=23), tick=False):
        assert auto_close_unrated.delay().get() == 0
    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        assert auto_close_unrated.delay().get() == 1
    event.refresh_from_db()
    rated.refresh_from_db()
    assert (event.status, event.rating) == (EventStatus.CLOSED, Rating.NOT_RATED)
    assert event.get_rating_display() != Rating.SATISFIED.label
    assert rated.status == EventStatus.VERIFIED  # rated: its dispatcher closes it
    assert event.flow.last().action == "auto_close"


def test_the_auto_close_runs_on_a_beat_schedule():
    schedule = django_settings.CELERY_BEAT_SCHEDULE["events-auto-close"]
    assert schedule["task"] == "events.tasks.auto_close_unrated"


def test_an_event_handled_on_the_spot_goes_to_verification(world, police_item, photo):
    from tests.events.helpers import report

    event = report(world, police_item, on_the_spot=True, result="已当场劝离",
                   result_photos=[photo()])  # fmt: skip
    assert event.status == EventStatus.HANDLED
    assert event.on_the_spot
    assert event.photos.filter(kind="result").count() == 1
    services.event_verify(event=event, actor=world.users["worker"], passed=False, note="又回来了")
    assert event.status == EventStatus.REPORTED  # no unit yet: back to the street


def test_on_the_spot_needs_a_photo_of_the_result(world, police_item):
    from tests.events.helpers import report

    with pytest.raises(ValidationError) as caught:
        report(world, police_item, on_the_spot=True, result="已处理")
    assert "result_photos" in caught.value.message_dict


def test_closing_respects_the_items_closing_level(world, police_item):
    services.service_item_update(actor=world.users["admin"], item=police_item,
                                 closing_level="street")  # fmt: skip
    police_item.refresh_from_db()
    event = walk(world, police_item, "verified_rated")
    with pytest.raises(PermissionDenied, match=r"(?i)街道|street"):
        services.event_close(event=event, actor=world.users["community"])
    services.event_close(event=event, actor=world.users["street"])
