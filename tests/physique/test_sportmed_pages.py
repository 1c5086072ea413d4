"""Sport–medicine pages: the resident's referrals on /me/physique/, and the staff registers."""

import pytest
from django.urls import reverse

from quanmin.accounts.models import AuditEntry
from quanmin.physique import sportmed
from quanmin.physique.models import PrescriptionTemplate
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
