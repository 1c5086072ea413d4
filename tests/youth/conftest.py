import datetime

import pytest

from quanmin.facilities import services as fs
from quanmin.facilities.models import OpeningRule, Site
from quanmin.youth import services


def school_site(region, name, open_hours=True):
    site = fs.create_site({"name": name, "lon": 115.98, "lat": 36.45, "region": region,
                           "owner_kind": Site.OwnerKind.SCHOOL})
    fs.add_facility(site, {"type": "athletics_stadium", "area_m2": "8000"})
    if open_hours:
        fs.set_opening_rules(site, [{"weekday": 5, "opens": datetime.time(8), "closes": datetime.time(18),
                                     "kind": OpeningRule.Kind.SCHOOL}])
    return site


def return_data(**extra):
    """An autumn 2025 return of a school of 1,000 students."""
    data = {"school_year": 2025, "term": 1, "students": 1000, "minutes_in_school": 70, "minutes_out_of_school": 50,
            "students_meeting_both": 420, "skills_assessed": 900, "skills_two_plus": 600,
            "myopia_screened": 1000, "myopia_found": 380, "myopia_intervened": 300,
            "obesity_screened": 1000, "obesity_found": 120, "obesity_intervened": 100,
            "scoliosis_screened": 800, "scoliosis_found": 20, "scoliosis_intervened": 20}
    data.update(extra)
    return data


@pytest.fixture
def school(world):
    site = school_site(world.community, "东关小学")
    return services.save_school(world.users["county"], {"region": world.community.code, "name": "东关小学",
                                                        "stage": "primary", "students": 1000, "site": site.pk})


@pytest.fixture
def other_school(world):
    return services.save_school(world.users["other_county"], {"region": world.other_township.code,
                                                              "name": "振兴中学", "stage": "junior", "students": 800})
