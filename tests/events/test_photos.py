"""Photos are checked before anything is saved: a bad one refuses the whole step."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events import services
from events.models import DailyCounter, Event, EventPhoto
from events.workflow import EventStatus
from tests.events.helpers import report, walk


def files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def pdf_named_jpg():
    return SimpleUploadedFile("scan.jpg", b"%PDF-1.7\n1 0 obj<<>>endobj\n" * 20)


def bomb():
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")
    return SimpleUploadedFile("bomb.png", buffer.getvalue())


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (pdf_named_jpg, "scan.jpg"),
        (lambda: SimpleUploadedFile("big.jpg", b"\xff" * 4096), "big.jpg"),
        (bomb, "bomb.png"),
    ],
    ids=["non-image renamed .jpg", "oversized", "decompression bomb"],
)
def test_a_bad_photo_refuses_the_report_and_nothing_is_saved(
    world, police_item, photo, settings, make, words
):
    settings.IMAGE_UPLOAD_MAX_BYTES = 3000
    good = photo()
    with pytest.raises(ValidationError) as caught:
        report(world, police_item, photos=[good, make()])
    messages = caught.value.message_dict["photos"]
    assert any(words in m for m in messages), messages
    assert not Event.objects.exists()
    assert not EventPhoto.objects.exists()
    assert not DailyCounter.objects.filter(last__gt=0).exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_bad_photo_refuses_a_result_and_the_task_stays_open(world, police_item, photo, settings):
    event = walk(world, police_item, EventStatus.IN_PROGRESS)
    task = event.tasks.get()
    with pytest.raises(ValidationError):
        services.task_complete(event=event, task=task, actor=world.users["dept"], result="已修",
                               photos=[photo(), pdf_named_jpg()])  # fmt: skip
    event.refresh_from_db()
    assert event.status == EventStatus.IN_PROGRESS
    assert not event.flow.filter(action="complete").exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_failure_after_the_photos_were_written_removes_their_files(
    world, police_item, photo, settings, monkeypatch
):
    from events.services import intake

    def broken(*args, **kwargs):
        raise RuntimeError("notification backend down")

    monkeypatch.setattr(intake.notify, "to_dispatchers", broken)
    with pytest.raises(RuntimeError):
        report(world, police_item, photos=[photo(), photo("b.jpg")])
    assert not Event.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_good_photos_are_stored_through_the_storage_api_with_a_trusted_extension(
    world, police_item, photo, settings
):
    event = report(world, police_item, photos=[photo("IMG_0001.JPG.exe")])
    stored = event.photos.get()
    assert stored.file.name.endswith(".jpg")
    assert (stored.width, stored.height) == (64, 48)
    assert len(files_under(settings.MEDIA_ROOT)) == 1
