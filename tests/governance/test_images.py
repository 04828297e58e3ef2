"""Photos from the field are checked before they are kept."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from governance.images import check_image


def photo(fmt: str = "JPEG", size=(64, 48), name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_a_real_photo_is_accepted_with_its_true_format(fmt, extension):
    checked = check_image(photo(fmt, name="whatever.bin"))
    assert (checked.format, checked.extension, checked.width, checked.height) == (
        fmt,
        extension,
        64,
        48,
    )


def test_a_pdf_renamed_jpg_is_refused_as_not_an_image():
    fake = SimpleUploadedFile("scan.jpg", b"%PDF-1.7\n1 0 obj<<>>endobj\n" * 20)
    with pytest.raises(ValidationError, match="not a readable image") as caught:
        check_image(fake)
    assert caught.value.code == "not_image"


def test_a_truncated_jpeg_is_refused():
    whole = photo(size=(400, 300)).read()
    with pytest.raises(ValidationError) as caught:
        check_image(SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2]))
    assert caught.value.code == "not_image"


def test_an_oversized_file_is_refused_before_it_is_decoded(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 2048
    with pytest.raises(ValidationError, match=r"at most 2\.0") as caught:
        check_image(SimpleUploadedFile("big.jpg", b"\xff" * 4096))
    assert caught.value.code == "too_large"


def test_a_decompression_bomb_is_refused():
    # 20,000 x 20,000 pixels of one colour: a few hundred kB on disk, 400 megapixels decoded.
    bomb = photo("PNG", size=(20_000, 20_000), name="bomb.png")
    assert bomb.size < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        check_image(bomb)
    assert caught.value.code == "bomb"


def test_a_gif_is_refused_with_the_formats_that_are_accepted():
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP") as caught:
        check_image(photo("GIF", name="anim.gif"))
    assert caught.value.code == "format"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        check_image(SimpleUploadedFile("empty.jpg", b""))
