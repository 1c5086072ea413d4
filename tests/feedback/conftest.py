"""Fixtures of the feedback part: photos in a temporary media folder, notifications kept in the app,
the city's report settings, and helpers to make photos and reports."""

import datetime
import io

import pytest

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d, hh=10, mm=0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=TZ)


def image_bytes(size=(40, 30), color=(30, 120, 200), fmt="PNG") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def upload(data: bytes, name="photo.png", content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def feedback_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend"]


@pytest.fixture
def feedback_world(equipment):
    """The equipment world with the city's report settings: hotline 0635-12345, respond within 1
    working day, resolve within 5."""
    from quanmin.feedback.models import FeedbackSettings

    equipment.feedback_settings = FeedbackSettings.objects.create(
        region=equipment.city, hotline="0635-12345", response_working_days=1, resolution_working_days=5)
    return equipment


@pytest.fixture
def make_report(feedback_world):
    from quanmin.feedback import services

    def make(piece=None, *, now=None, phone="13912345678", description="踏板松动，有安全隐患", **extra):
        return services.submit_report(category=extra.pop("category", "equipment"), description=description,
                                      phone=phone, equipment=piece or feedback_world.pieces[0], now=now, **extra)

    return make
