"""The sport–medicine API over real HTTP (Django's test client): a referral from a check-up to a
prescription the resident reads, paged lists, masked numbers, 409 on a second decision, 404 outside
the staff's area, clear errors on bad input."""

import pytest

from quanmin.accounts.models import AuditEntry
from quanmin.physique import sportmed
from quanmin.physique.models import PrescriptionTemplate, Referral
from tests.matrix import sportmed as sm

pytestmark = pytest.mark.django_db
BASE = "/api/v1/physique/sport-medicine"


def post(client, path, body):
    return client.post(BASE + path, body, content_type="application/json")


def test_referral_from_checkup_to_the_residents_phone(world, client_for):
    sportmed.load_templates()
    site, practitioner = sm.site(world), sm.practitioner(world)
    staff, me = client_for("county"), world.users["resident"]
    made = post(staff, "/referrals", {"site_id": site.pk, "real_name": me.real_name, "id_number": me.id_number,
                                      "source": "checkup", "referrer": "区人民医院体检中心", "condition": "type2_diabetes"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status_label"] == "已转介，待机构接收" and "*" in body["id_number_masked"]
    assert body["condition_label"] == "2型糖尿病"
    rid = body["id"]
    assert post(staff, f"/referrals/{rid}/accept", {}).status_code == 200
    again = post(staff, f"/referrals/{rid}/accept", {})
    assert again.status_code == 409 and again.json()["code"] == "referral_decided"
    template = PrescriptionTemplate.objects.get(key="who2020-type2-diabetes")
    done = post(staff, f"/referrals/{rid}/prescribe", {"practitioner_id": practitioner.pk, "template_id": template.pk,
                                                        "advice": "饭后散步"})
    assert done.status_code == 200 and done.json()["status"] == "prescribed"
    mine = client_for("resident").get(BASE + "/me/referrals")
    assert mine.status_code == 200
    row = mine.json()[0]
    assert row["status_label"] == "已开具运动处方" and row["prescription"]["advice"] == "饭后散步"
    assert row["prescription"]["source"].startswith("WHO guidelines") and row["practitioner_name"] == "赵医生"
    assert AuditEntry.objects.filter(action="read_personal", detail__fields=["referral"]).exists()


def test_lists_are_paged_masked_and_logged(world, client_for):
    sm.practitioner(world)
    staff = client_for("county")
    found = staff.get(BASE + "/practitioners?limit=1&offset=0")
    assert found.status_code == 200 and len(found.json()) == 1
    row = found.json()[0]
    assert row["phone_masked"] == "139****0060" and "13900000060" not in found.content.decode()
    assert AuditEntry.objects.filter(action="list_personal", detail__what="practitioners").exists()
    assert staff.get(BASE + "/practitioners?limit=0").status_code in (400, 422)
    public = client_for(None).get(BASE + "/sites")
    assert public.status_code == 200 and public.json()[0]["kind_label"] == "社区运动健康促进站"


def test_the_neighbouring_countys_staff_get_404(world, client_for):
    referral = sm.referral(world)
    other = client_for("other_county")
    assert post(other, f"/referrals/{referral.pk}/accept", {}).status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == "referred"
    assert other.get(BASE + "/referrals").json() == []


@pytest.mark.parametrize("body, code", [
    ({"id_number": "123"}, "id_number_format"),
    ({"condition": "flu"}, "condition_unknown"),
    ({"referrer": ""}, "referrer_required"),
])
def test_bad_referrals_answer_a_clear_error_and_change_nothing(world, client_for, body, code):
    me = world.users["resident"]
    base = {"site_id": sm.site(world).pk, "real_name": me.real_name, "id_number": me.id_number, "source": "clinic",
            "referrer": "社区卫生服务中心", "condition": "obesity"}
    found = post(client_for("county"), "/referrals", {**base, **body})
    assert found.status_code == 422 and found.json()["code"] == code and found.json()["message"]
    assert not Referral.objects.exists()


def test_residents_cannot_refer_or_list(world, client_for):
    resident = client_for("resident")
    assert resident.get(BASE + "/referrals").status_code == 403
    assert resident.get(BASE + "/practitioners").status_code == 403
    assert client_for(None).get(BASE + "/me/referrals").status_code == 401
