"""Fixtures of the event-pipeline tests: the world, a service item to report under, photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.catalogue import ensure_catalogue
from events.models import ServiceCategory, ServiceItem
from events.services import service_item_create
from governance.celery import app as celery_app
from governance.celery import ensure_queue_folders


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings, tmp_path):
    """Celery tasks sent by a test run in the test's process (the worker tests use the real
    worker instead: the ``celery_worker`` fixture switches this off). Photos go to a temporary
    media folder."""
    ensure_queue_folders()  # eager results still go to the file-system backend on SQLite
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def world(world):
    """The test world with the seed catalogue (a transactional test elsewhere may have flushed
    what the migration loaded)."""
    ensure_catalogue()
    return world


@pytest.fixture
def police_item(world) -> ServiceItem:
    """A matter for the police, closed at community level or above, joint summons allowed."""
    return service_item_create(
        actor=world.users["admin"],
        code="T0001",
        category=ServiceCategory.objects.get(code="0201"),
        name="测试治安事项",
        responsible_kind="department",
        department_type="police",
        closing_level="community",
        on_the_spot_allowed=True,
        joint_allowed=True,
        duplicate_radius_m=100,
    )


def jpeg(name: str = "photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 140, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def photo():
    return jpeg
