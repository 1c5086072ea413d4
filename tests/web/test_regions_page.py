"""The divisions page says in the reader's language where a population comes from (issue 16, item
10): the stored source is the data file's citation, often English, and is not shown."""

from django.urls import reverse

from quanmin.regions import services

CITATION = "7th census 2020-11-01, NBS 中国人口普查分县资料-2020, as transcribed in github.com/…"


def test_population_notes_are_chinese(world, client_for):
    world.county.population_source = CITATION
    world.county.save()
    world.township.population = None
    world.township.save()
    services.estimate_populations(world.county.code)
    services.set_figures(world.community, population=8100)
    staff = client_for("city")
    county = staff.get(reverse("web:region", args=[world.county.code]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = county.content.decode()
    assert "人口普查数" in page and "census" not in page
    township = staff.get(reverse("web:region", args=[world.township.code]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "按区县人口普查数推算" in township.content.decode()
    assert "estimated" not in township.content.decode()
    community = staff.get(reverse("web:region", args=[world.community.code]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "工作人员录入" in community.content.decode()
