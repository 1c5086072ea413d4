import pytest

from quanmin.residential import services


def project_data(world, **extra):
    """A built residential area of 1,000 planned residents in 古楼街道 that meets the norm indoors
    (100 m² = 0.1 m² × 1,000) and not outdoors."""
    data = {"region": world.township.code, "name": "东关花园", "developer": "聊城安居置业有限公司", "residents": 1000,
            "households": 350, "indoor_area": "100", "outdoor_area": "120", "status": "built",
            "approved_on": "2023-04-10", "completed_on": "2025-09-30"}
    data.update(extra)
    return data


@pytest.fixture
def project(world):
    return services.save_project(world.users["county"], project_data(world))
