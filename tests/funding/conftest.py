import pytest

from quanmin.funding import services


def project_data(region, year=2026, title="古楼街道健身广场提升", **extra):
    return {"region": region.code, "year": year, "title": title, "builds": "更新健身器材12件，铺设塑胶场地",
            "amounts": [
                {"kind": "source", "item": "central", "planned": "200000", "actual": "200000"},
                {"kind": "source", "item": "matching", "planned": "100000", "actual": "90000"},
                {"kind": "source", "item": "donation", "planned": "50000", "actual": "60000"},
                {"kind": "line", "item": "equipment", "planned": "180000", "actual": "170000"},
                {"kind": "line", "item": "grounds", "planned": "170000", "actual": "180000"},
            ], **extra}


@pytest.fixture
def project(world):
    return services.save_project(world.users["county"], project_data(world.county, site=world.site.pk))
