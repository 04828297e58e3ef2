"""Photos uploaded from the field: check that a file is a real, reasonable image before it is kept.

Grid workers attach photos to events and visits from phones. A file is accepted only if Pillow
can decode it as JPEG, PNG or WebP, it is no larger than ``IMAGE_UPLOAD_MAX_BYTES`` and it does
not decode to more than ``IMAGE_MAX_PIXELS`` (a small file that expands to gigabytes of pixels
is a decompression bomb). The check decodes the whole image, so a truncated or disguised file
(a PDF renamed ``.jpg``) is refused with a message in the user's language, never a 500.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Pillow format name -> the extension the stored file gets (the client's name is not trusted).
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class CheckedImage:
    """What the check learned about an accepted image."""

    format: str  # "JPEG", "PNG" or "WEBP"
    extension: str  # "jpg", "png" or "webp"
    width: int
    height: int
    size: int  # bytes


def check_image(upload, *, max_bytes: int | None = None, max_pixels: int | None = None):
    """Return a ``CheckedImage`` for ``upload`` (a Django ``UploadedFile``) or raise
    ``ValidationError`` saying what is wrong with it. The file is left rewound."""
    max_bytes = max_bytes or settings.IMAGE_UPLOAD_MAX_BYTES
    max_pixels = max_pixels or settings.IMAGE_MAX_PIXELS
    name = getattr(upload, "name", "") or _("the file")
    size = upload.size
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size)s; a photo may be at most %(max)s.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (and past twice the limit raises) on huge images; refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _bomb(name, width, height)
                image_format = image.format
                if image_format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _("%(name)s is a %(format)s image; use a JPEG, PNG or WebP photo.")
                        % {"name": name, "format": image_format},
                        code="format",
                    )
                image.load()  # decode every pixel: a truncated or disguised file fails here
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("%(name)s decodes to an image far too large to be a photo.") % {"name": name},
            code="bomb",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("%(name)s is not a readable image (JPEG, PNG or WebP).") % {"name": name},
            code="not_image",
        ) from exc
    finally:
        upload.seek(0)
    return CheckedImage(image_format, ACCEPTED_FORMATS[image_format], width, height, size)


def _bomb(name: str, width: int, height: int) -> ValidationError:
    return ValidationError(
        _("%(name)s is %(w)s x %(h)s pixels, too large to be a photo.")
        % {"name": name, "w": width, "h": height},
        code="bomb",
    )
