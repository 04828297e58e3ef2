"""In-product notifications: sent after commit, delivered by a real Celery worker, shown by the
bell with an unread count and on a list of one's own."""

import time

import pytest
from django.test import Client

from events import services
from events.catalogue import ensure_catalogue
from events.models import ServiceItem
from governance.celery import app as celery_app
from governance.celery import ensure_queue_folders
from governance.notifications.channels import Channel, Message
from governance.notifications.models import Notification
from governance.notifications.services import deliver, notify
from tests.events.helpers import report
from tests.factories import build_world


@pytest.fixture(autouse=True)
def _inline_unless_worker():
    ensure_queue_folders()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_a_rolled_back_change_notifies_nobody(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(verb="Event %(number)s was closed", params={"number": "X"},
                       recipients=[world.users["worker"].pk])  # fmt: skip
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()


def test_the_actor_is_not_told_about_their_own_step(world):
    sent = deliver({"verb": "x", "recipients": [world.users["street"].pk],
                    "actor_id": world.users["street"].pk})  # fmt: skip
    assert sent == 0


def test_the_bell_shows_the_unread_count_and_the_list_marks_read(world):
    worker = world.users["worker"]
    for n in range(3):
        Notification.objects.create(recipient=worker, verb="Event %(number)s was closed",
                                    params={"number": f"SJ-{n}"}, url="/events/")  # fmt: skip
    Notification.objects.create(recipient=world.users["worker2"], verb="not mine")
    client = Client()
    client.force_login(worker)
    home = client.get("/").content.decode()
    assert 'data-count="3"' in home
    listing = client.get("/notifications/").content.decode()
    assert "SJ-2" in listing
    assert "not mine" not in listing
    first = Notification.objects.filter(recipient=worker).first()
    assert client.get(f"/notifications/{first.pk}/open/")["Location"] == "/events/"
    assert 'data-count="2"' in client.get("/").content.decode()
    client.post("/notifications/read/")
    assert "data-count" not in client.get("/").content.decode()
    other = Notification.objects.get(recipient=world.users["worker2"])
    assert client.get(f"/notifications/{other.pk}/open/").status_code == 404


class Recorder(Channel):
    sent: list = []

    def send(self, messages: list[Message]) -> int:
        Recorder.sent.extend(messages)
        return len(messages)


def test_channels_are_pluggable(world, settings):
    settings.NOTIFICATION_CHANNELS = [
        "governance.notifications.channels.InProductChannel",
        "tests.notifications.test_notifications.Recorder",
    ]
    Recorder.sent = []
    deliver({"verb": "x", "recipients": [world.users["worker"].pk]})
    assert [m.recipient_id for m in Recorder.sent] == [world.users["worker"].pk]
    assert Notification.objects.filter(recipient=world.users["worker"]).count() == 1


@pytest.mark.celery
def test_a_real_worker_delivers_the_notice_of_a_new_report_to_the_street(celery_worker):
    world = build_world()
    ensure_catalogue()
    item = ServiceItem.objects.get(code="E010203")
    event = report(world, item)  # commits: the on-commit hook queues the delivery

    street = world.users["street"]
    deadline = time.monotonic() + 20
    while not street.notifications.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    notice = street.notifications.get()
    assert event.number in notice.text
    assert notice.url == f"/events/{event.pk}/"
    assert not world.users["worker2"].notifications.exists()
    services.event_grab(event=event, actor=street)
    deadline = time.monotonic() + 20
    while not world.users["worker"].notifications.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert world.users["worker"].notifications.count() == 1
