import pytest

from quanmin.planning.services import loading


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def liaocheng(db):
    """Seed 000, the demo city's plan, loaded."""
    return loading.load_file(next(p for p in loading.data_files() if p.name.startswith("000")))
