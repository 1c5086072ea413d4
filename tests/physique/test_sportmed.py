"""Sport–medicine integration: the site and practitioner registers, the prescription library and
the referral workflow (quanmin.physique.sportmed), on the real database."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quanmin.accounts import crypto
from quanmin.accounts.models import AuditEntry
from quanmin.demo.accounts import make_id_number
from quanmin.physique import services, sportmed
from quanmin.physique.errors import PhysiqueError
from quanmin.physique.models import HealthSite, NetworkLevel, Practitioner, PrescriptionTemplate, Referral

pytestmark = pytest.mark.django_db


def make_site(w, *, other=False, name="东昌府区人民医院运动健康促进中心", pilot=""):
    region = w.other_community if other else w.community
    by = w.users["other_county" if other else "county"]
    return sportmed.save_site({"name": name, "kind": "hospital_centre", "institution": "区人民医院", "pilot": pilot},
                              region=region, by=by)


def make_practitioner(w, site, seq=40, other=False):
    by = w.users["other_county" if other else "county"]
    return sportmed.register_practitioner(
        {"real_name": "李医生", "id_number": make_id_number("371502", "19800101", seq, True), "phone": "13900000001",
         "profession": "doctor", "certificate_no": "YDCF-001", "site": site},
        region=site.region, by=by)


def refer_resident(w, site, condition="hypertension", by="county"):
    resident = w.users["resident"]
    return sportmed.refer(site, {"real_name": resident.real_name, "id_number": resident.id_number,
                                 "source": "checkup", "referrer": "区人民医院体检中心", "condition": condition,
                                 "note": "血压 150/95"}, by=w.users[by])


def test_a_practitioner_is_registered_once_encrypted_and_masked(world):
    site = make_site(world)
    p = make_practitioner(world, site)
    raw = Practitioner.objects.filter(pk=p.pk).values("id_number_enc", "phone_enc").get()
    assert "13900000001" not in raw["phone_enc"] and p.id_number not in raw["id_number_enc"]
    assert p.phone_masked != p.phone and "*" in p.id_number_masked
    with pytest.raises(PhysiqueError) as exc:
        make_practitioner(world, site)
    assert exc.value.code == "id_number_taken" and exc.value.status == 409
    assert Practitioner.objects.count() == 1


def test_reveal_is_audited_and_needs_a_purpose(world):
    p = make_practitioner(world, make_site(world))
    with pytest.raises(PhysiqueError):
        sportmed.reveal_practitioner(p, by=world.users["county"], purpose="")
    found = sportmed.reveal_practitioner(p, by=world.users["county"], purpose="核对证书")
    assert found["phone"] == "13900000001"
    assert AuditEntry.objects.filter(action="read_personal", target_id=str(p.pk), target_type="physique.practitioner").count() == 1


def test_staff_write_only_in_their_area(world):
    with pytest.raises(PhysiqueError) as exc:
        sportmed.save_site({"name": "站", "kind": "community_station"}, region=world.other_community,
                           by=world.users["county"])
    assert exc.value.status == 403 and HealthSite.objects.count() == 0


def test_a_site_name_is_unique_in_its_division(world):
    make_site(world)
    with pytest.raises(PhysiqueError) as exc:
        make_site(world)
    assert exc.value.status == 409 and HealthSite.objects.count() == 1


def test_library_loads_from_the_data_file_with_source_and_licence_twice_the_same(world):
    assert sportmed.load_templates() == 3
    first = list(PrescriptionTemplate.objects.values("key", "title", "parts", "source", "licence").order_by("key"))
    sportmed.load_templates()
    assert list(PrescriptionTemplate.objects.values("key", "title", "parts", "source", "licence").order_by("key")) == first
    conditions = set(PrescriptionTemplate.objects.values_list("condition", flat=True))
    assert conditions == {"hypertension", "type2_diabetes", "obesity"}
    for t in PrescriptionTemplate.objects.all():
        assert t.source and t.licence and t.parts and t.origin == "published"


def test_library_chinese_numbers_are_the_sources_numbers():
    """No number in a template's Chinese text that its source's words do not hold."""
    import re

    data = sportmed.library()
    by_key = {t["key"]: t for t in data["templates"]}
    for t in data["templates"]:
        en = t["en"] if isinstance(t["en"], dict) else by_key["who2020-hypertension"]["en"]
        zh = t["zh"] if isinstance(t["zh"]["parts"], list) else by_key["who2020-hypertension"]["zh"]
        source_numbers = set(re.findall(r"\d+", json.dumps(en)))
        for number in re.findall(r"\d+", json.dumps(zh["parts"], ensure_ascii=False) + zh["precautions"]):
            assert number in source_numbers, (t["key"], number)


def test_referral_workflow_to_a_prescription(world):
    sportmed.load_templates()
    site = make_site(world)
    practitioner = make_practitioner(world, site)
    referral = refer_resident(world, site)
    assert referral.user == world.users["resident"] and referral.status == "referred"
    stored = Referral.objects.filter(pk=referral.pk).values_list("health_enc", flat=True).get()
    assert "hypertension" not in stored and "150/95" not in stored
    sportmed.accept(referral, by=world.users["community"])
    template = PrescriptionTemplate.objects.get(key="who2020-hypertension")
    done = sportmed.prescribe(referral, practitioner=practitioner, template=template, advice="从每天快走10分钟开始",
                              by=world.users["community"])
    done.refresh_from_db()
    assert done.status == "prescribed" and done.completed_at is not None
    assert done.prescription["title"] == template.title and done.prescription["source"] == template.source
    assert list(sportmed.own_referrals(world.users["resident"])) == [done]


def test_a_second_decision_answers_409_and_changes_nothing(world):
    site = make_site(world)
    referral = refer_resident(world, site)
    sportmed.accept(referral, by=world.users["county"])
    for action in (lambda: sportmed.accept(referral, by=world.users["county"]),
                   lambda: sportmed.decline(referral, by=world.users["county"], reason="满员")):
        with pytest.raises(PhysiqueError) as exc:
            action()
        assert exc.value.status == 409 and exc.value.code == "referral_decided"
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.decline_reason == ""


def test_prescribing_needs_acceptance_and_the_sites_active_practitioner(world):
    sportmed.load_templates()
    site, other_site = make_site(world), make_site(world, name="社区运动健康促进站")
    referral = refer_resident(world, site)
    template = PrescriptionTemplate.objects.first()
    with pytest.raises(PhysiqueError) as exc:
        sportmed.prescribe(referral, practitioner=make_practitioner(world, site), template=template,
                           by=world.users["county"])
    assert exc.value.code == "referral_not_accepted"
    sportmed.accept(referral, by=world.users["county"])
    elsewhere = make_practitioner(world, other_site, seq=41)
    with pytest.raises(PhysiqueError) as exc:
        sportmed.prescribe(referral, practitioner=elsewhere, template=template, by=world.users["county"])
    assert exc.value.code == "practitioner_unavailable"
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_a_referral_before_the_account_shows_once_the_account_exists(world):
    site = make_site(world)
    id_number = make_id_number("371502", "19700101", 77, False)
    referral = sportmed.refer(site, {"real_name": "王某", "id_number": id_number, "source": "clinic",
                                     "referrer": "社区卫生服务中心", "condition": "obesity"}, by=world.users["county"])
    assert referral.user is None
    from quanmin.accounts import services as accounts

    user = accounts.create_user(phone="13911112222", password="x-Passw0rd!", real_name="王某", id_number=id_number,
                                home_region=world.community)
    # Reading is a read: the referral is found by the ID number's hash and nothing is written.
    with CaptureQueriesContext(connection) as caught:
        assert [r.pk for r in sportmed.own_referrals(user)] == [referral.pk]
    assert [q["sql"].split()[0] for q in caught.captured_queries] == ["SELECT"]
    assert Referral.objects.get(pk=referral.pk).user is None
    # Nobody else's: another account, and an account without an ID number, find none.
    other = accounts.create_user(phone="13911113333", password="x-Passw0rd!", real_name="李某",
                                 id_number=make_id_number("371502", "19710101", 78, False), home_region=world.community)
    bare = accounts.create_user(phone="13911114444", password="x-Passw0rd!", real_name="张某")
    assert not sportmed.own_referrals(other).exists() and not sportmed.own_referrals(bare).exists()
    # The person's data export lists it and the erasure deletes it, as for one linked when it was made.
    assert [r["referrer"] for r in services.export_person(user)["referrals"]] == ["社区卫生服务中心"]
    services.erase_person(user)
    assert not Referral.objects.filter(pk=referral.pk).exists()


@pytest.mark.parametrize("data, code", [
    ({"real_name": "", "id_number": "x"}, "name_required"),
    ({"real_name": "甲", "id_number": "12345"}, "id_number_format"),
    ({"real_name": "甲", "id_number": None, "source": "checkup"}, "id_number_format"),
])
def test_bad_referrals_are_refused_and_nothing_is_written(world, data, code):
    site = make_site(world)
    with pytest.raises(PhysiqueError) as exc:
        sportmed.refer(site, {"source": "checkup", "referrer": "体检中心", "condition": "obesity", **data},
                       by=world.users["county"])
    assert exc.value.code == code and Referral.objects.count() == 0


def test_bad_condition_and_source_are_refused(world):
    site = make_site(world)
    base = {"real_name": "甲", "id_number": world.users["resident"].id_number, "referrer": "体检中心"}
    for extra, code in (({"source": "checkup", "condition": "flu"}, "condition_unknown"),
                        ({"source": "x", "condition": "obesity"}, "source_unknown")):
        with pytest.raises(PhysiqueError) as exc:
            sportmed.refer(site, {**base, **extra}, by=world.users["county"])
        assert exc.value.code == code
    assert Referral.objects.count() == 0


def test_bureau_templates_are_city_staffs_and_marked(world):
    data = {"title": "居家锻炼建议", "condition": "other", "parts": [{"label": "步行", "frequency": "每天"}]}
    with pytest.raises(PhysiqueError):
        sportmed.add_bureau_template(data, by=world.users["county"])
    t = sportmed.add_bureau_template(data, by=world.users["city"])
    assert t.origin == "bureau" and t.get_origin_display()


def test_a_station_takes_its_divisions_tier_or_one_above(world):
    county_station = services.create_station(name="区体质监测中心", region=world.county)
    assert county_station.level == NetworkLevel.COUNTY
    city_station = services.create_station(name="市体质监测中心", region=world.community, level="city")
    assert city_station.level == "city"
    with pytest.raises(PhysiqueError) as exc:
        services.create_station(name="站", region=world.county, level="community")
    assert exc.value.code == "level_below_division"


def test_erasure_deletes_the_residents_referrals_and_export_lists_them(world):
    from quanmin.web import personal_data

    site = make_site(world)
    refer_resident(world, site)
    exported = personal_data.export_own_data(world.users["resident"])
    assert exported["physique"]["referrals"][0]["condition"] == "hypertension"
    services.erase_person(world.users["resident"])
    assert not Referral.objects.exists()


def test_mask_reads_back_through_crypto(world):
    referral = refer_resident(world, make_site(world))
    assert referral.id_number_masked == crypto.mask_id_number(world.users["resident"].id_number)
