import datetime

import pytest
from django.utils import timezone

from quanmin.outreach import services


def lecture_data(region, days=7, **extra):
    """A lecture in `days` days at 09:30 city time, 2 places unless told."""
    start = (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=30, second=0, microsecond=0)
    data = {"region": region.code, "title": "运动与慢性病防治", "topic": "chronic",
            "starts_at": start.strftime("%Y-%m-%d %H:%M"), "minutes": 90, "place": "古楼街道文体活动中心",
            "speaker": "聊城市人民医院康复科 李医生", "organiser": "东昌府区教育和体育局", "capacity": 2}
    data.update(extra)
    return data


@pytest.fixture
def lecture(world):
    return services.save_lecture(world.users["county"], lecture_data(world.community))
