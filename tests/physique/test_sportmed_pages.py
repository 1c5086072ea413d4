"""Sport–medicine pages: the resident's referrals on /me/physique/, and the staff registers."""

import pytest
from django.urls import reverse

from quanmin.accounts.models import AuditEntry
from quanmin.demo.accounts import make_id_number
from quanmin.physique import sportmed
from quanmin.physique.models import HealthSite, Practitioner, PrescriptionTemplate
from tests.physique.test_sportmed import make_practitioner, make_site, refer_resident

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_resident_reads_their_referrals_and_the_prescription_with_its_source(world, client_for):
    sportmed.load_templates()
    site = make_site(world)
    practitioner = make_practitioner(world, site)
    county = world.users["county"]
    waiting = refer_resident(world, make_site(world, name="古楼街道社区运动健康促进站"))
    done = sportmed.accept(refer_resident(world, site), by=county)
    template = PrescriptionTemplate.objects.get(key="who2020-hypertension")
    sportmed.prescribe(done, practitioner=practitioner, template=template, advice="运动前后测血压", by=county)
    page = client_for("resident").get(reverse("physique:me"), **ZH).content.decode()
    assert "体医融合转介" in page and "已转介，待机构接收" in page and "已开具运动处方" in page
    assert waiting.site.name in page and site.name in page and "运动前后测血压" in page
    assert template.licence in page and template.source.split(",")[0] in page and "高血压" in page
    assert "<strong>prescribed</strong>" not in page and "<strong>referred</strong>" not in page
    assert AuditEntry.objects.filter(action="read_personal", actor=world.users["resident"]).exists()
    # Someone else's page shows none of it.
    other = client_for("other_resident").get(reverse("physique:me"), **ZH).content.decode()
    assert "体医融合转介" not in other and site.name not in other


def test_staff_decide_a_referral_on_the_page_a_second_decision_is_409(world, client_for):
    sportmed.load_templates()
    site = make_site(world)
    practitioner = make_practitioner(world, site)
    referral = refer_resident(world, site)
    county = client_for("county")
    page = county.get(reverse("physique:sportmed_referrals"), **ZH).content.decode()
    assert referral.real_name in page and referral.id_number_masked in page and "高血压" in page
    assert AuditEntry.objects.filter(action="read_personal", actor=world.users["county"]).exists()
    url = reverse("physique:sportmed_accept", args=[referral.pk])
    assert county.post(url).status_code == 302
    again = county.post(url, **ZH)
    assert again.status_code == 409
    referral.refresh_from_db()
    assert referral.status == "accepted"
    template = PrescriptionTemplate.objects.get(key="who2020-hypertension")
    done = county.post(reverse("physique:sportmed_prescribe", args=[referral.pk]),
                       {"practitioner": practitioner.pk, "template": template.pk, "advice": "每周五次快走"})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "prescribed" and referral.prescription["advice"] == "每周五次快走"
    assert county.post(reverse("physique:sportmed_decline", args=[referral.pk]), {"reason": "满员"}).status_code == 409


def test_another_county_gets_404_on_a_referral_and_sees_none(world, client_for):
    referral = refer_resident(world, make_site(world))
    other = client_for("other_county")
    assert other.post(reverse("physique:sportmed_accept", args=[referral.pk])).status_code == 404
    assert referral.real_name not in other.get(reverse("physique:sportmed_referrals")).content.decode()
    referral.refresh_from_db()
    assert referral.status == "referred"


def test_staff_register_a_site_and_a_practitioner_masked_and_bad_input_says_why(world, client_for):
    county = client_for("county")
    made = county.post(reverse("physique:sportmed_sites"), {"region_code": world.county.code, "name": "区运动健康促进中心",
                                                            "kind": "hospital_centre"})
    assert made.status_code == 302
    site = HealthSite.objects.get(name="区运动健康促进中心")
    bad = county.post(reverse("physique:sportmed_practitioners"),
                      {"region_code": world.county.code, "real_name": "周医生", "id_number": "123",
                       "profession": "doctor"}, **ZH)
    assert bad.status_code == 400 and Practitioner.objects.count() == 0
    good = county.post(reverse("physique:sportmed_practitioners"),
                       {"region_code": world.county.code, "real_name": "周医生", "phone": "13912345678",
                        "id_number": make_id_number("371502", "19800101", 77, True), "profession": "doctor",
                        "site": site.pk})
    assert good.status_code == 302
    page = county.get(reverse("physique:sportmed_practitioners")).content.decode()
    assert "周医生" in page and "13912345678" not in page and Practitioner.objects.get().site == site
    assert client_for("other_county").get(reverse("physique:sportmed_practitioners")).content.decode().count("周医生") == 0
