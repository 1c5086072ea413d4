"""Photos people upload (a report's, a work order's, an inspection check's): checked and stored alike.

Pillow reads the file itself (never its name or the browser's content type) and decodes it whole,
so a truncated or damaged file is caught. A JPEG, PNG or WebP of at most 8 MB and 50 megapixels.
Stored files get a random name: the photos are not public and their names must not be guessable.
"""

import secrets

from django.utils.translation import gettext as _

from .errors import ServiceError

# What a phone takes, checked by Pillow's own reading of the file.
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 50_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class PhotoError(ServiceError):
    pass


def _error(code: str, message) -> PhotoError:
    return PhotoError(code, message, "image", status=413 if code == "image_too_large" else 400)


def check(image) -> str:
    """Check an uploaded photo and return the file extension to store it under (image_required,
    image_too_large, image_unreadable, image_type otherwise)."""
    from PIL import Image  # Pillow loads its plugins on import: only processes that take photos pay

    if image is None or not getattr(image, "size", 0):
        raise _error("image_required", _("Choose a photo."))
    if image.size > MAX_BYTES:
        raise _error("image_too_large", _("The photo is too large: at most %(mb)s MB.")
                     % {"mb": MAX_BYTES // (1024 * 1024)})
    fmt = None
    try:
        image.seek(0)
        with Image.open(image) as img:
            if img.width * img.height > MAX_PIXELS:
                raise _error("image_too_large", _("The photo is too large: at most 50 megapixels."))
            fmt = img.format
            img.load()
    except PhotoError:
        raise
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, DecompressionBombError)
        raise _error("image_unreadable", _("The photo cannot be read: it may be damaged or cut short.")) from None
    finally:
        image.seek(0)
    if fmt not in FORMATS:
        raise _error("image_type", _("Upload a JPEG, PNG or WebP photo."))
    return FORMATS[fmt]


def store(field_file, image, ext: str) -> str:
    """Write a checked photo to an ImageField's file under a random name (the row is not saved)."""
    name = f"{secrets.token_hex(16)}.{ext}"
    field_file.save(name, image, save=False)
    return name


def save_row(row, field_file) -> None:
    """Save the row that holds a stored photo; if that fails, the file goes too."""
    try:
        row.save()
    except Exception:
        field_file.delete(save=False)
        raise
