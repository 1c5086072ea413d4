import pytest

from quanmin.heritage import services


def route_data(world, **extra):
    """A route of 东昌府区 from its registered square (by name) to 光岳楼 and 铁塔 (named points)."""
    data = {"region": world.county.code, "name": "环东昌湖健步走", "length_km": "12.5", "season": "春秋",
            "opened_on": "2023-05-01", "description": "沿东昌湖环湖步道",
            "stops": "东关社区文体广场\n光岳楼, 115.9886, 36.4537\n铁塔, 115.9850, 36.4400"}
    data.update(extra)
    return data


def item_data(holder, **extra):
    data = {"holder": holder.pk, "catalogue_no": "LC-0001", "title": "第一届市运会金牌", "kind": "medal", "era": "1979年",
            "donor": "王振华", "donor_phone": "13812345678", "acquired_on": "2024-03-01", "acquisition": "donation",
            "location": "二号库房"}
    data.update(extra)
    return data


@pytest.fixture
def holder(world):
    return services.save_holder(world.users["county"], {"region": world.county.code, "name": "聊城体育博物馆",
                                                         "kind": "museum"})


@pytest.fixture
def item(world, holder):
    return services.save_item(world.users["county"], item_data(holder))
