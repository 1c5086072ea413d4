import pytest


@pytest.fixture(autouse=True)
def media_and_quiet(settings, tmp_path):
    """The demo's photos and certificates go to a temporary folder; its messages (answers, escalations)
    stay in the in-app inbox, as load_demo keeps them."""
    settings.MEDIA_ROOT = tmp_path
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend"]
