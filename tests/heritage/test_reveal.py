"""A donor's phone is shown masked; division staff with a writing role over the item (as for an
instructor's numbers) can read the whole number, saying why, on its page or over the API, and each
such read is in the audit log under its own code; no purpose, no phone on record, a read-only role
or an item outside one's divisions reveals nothing and logs nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from quanmin.accounts.audit_labels import action_label
from quanmin.accounts.models import AuditEntry
from quanmin.heritage import services

from .conftest import item_data

CODE = "read_personal"  # every whole-number read is logged under one code


def reveals(**where):
    """The reads of a whole number (masked reads are logged under the same code, with "masked")."""
    return [e for e in AuditEntry.objects.filter(action=CODE, **where) if "phone" in e.detail.get("fields", [])]


def url(item) -> str:
    return f"/api/v1/heritage/items/{item.pk}/reveal"


def test_the_api_reveals_the_phone_and_logs_the_read(world, client_for, item):
    county = client_for("county")
    assert county.get(f"/api/v1/heritage/items/{item.pk}").json()["donor_phone_masked"] == "138****5678"
    answer = county.post(url(item), {"purpose": "回访捐赠人"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"donor_phone": "13812345678"}
    [entry] = reveals()
    assert (entry.actor, entry.target_id, entry.region_code) == (world.users["county"], str(item.pk), item.region_id)
    assert entry.detail == {"fields": ["phone"], "purpose": "回访捐赠人"}
    assert len(reveals()) == 1


def test_only_writing_roles_reveal_like_people(world, client_for, item):
    """Least privilege, as for an instructor's numbers: a supervisor sees the item, masked, but may
    not read the whole number (403, nothing logged), on the page or over the API."""
    supervisor = client_for("supervisor")
    refused = supervisor.post(url(item), {"purpose": "督查"}, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    page = supervisor.get(reverse("heritage:item", kwargs={"pk": item.pk})).content.decode()
    assert "138****5678" in page and reverse("heritage:item_reveal", kwargs={"pk": item.pk}) not in page
    posted = supervisor.post(reverse("heritage:item_reveal", kwargs={"pk": item.pk}), {"purpose": "督查"})
    assert posted.status_code == 403 and "13812345678" not in posted.content.decode()
    with pytest.raises(PermissionDenied):
        services.reveal_donor_phone(world.users["supervisor"], item, "督查")
    assert not reveals()


def test_nothing_is_revealed_or_logged_when_refused(world, client_for, item, holder):
    county = client_for("county")
    blank = county.post(url(item), {"purpose": "  "}, content_type="application/json",
                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert blank.status_code == 400 and blank.json()["code"] == "purpose_required"
    assert "原因" in blank.json()["message"] and "13812345678" not in blank.content.decode()
    assert client_for("other_county").post(url(item), {"purpose": "查看"},
                                           content_type="application/json").status_code == 404
    assert client_for("resident").post(url(item), {"purpose": "查看"},
                                       content_type="application/json").status_code in (403, 404)
    bought = services.save_item(world.users["county"], item_data(holder, catalogue_no="LC-0002", donor="",
                                                                 donor_phone="", acquisition="purchase"))
    none = county.post(url(bought), {"purpose": "查看"}, content_type="application/json")
    assert none.status_code == 409 and none.json()["code"] == "donor_phone_none"
    assert not reveals()


def test_the_item_page_reveals_on_request(world, client_for, item):
    county = client_for("county")
    page = county.get(reverse("heritage:item", kwargs={"pk": item.pk})).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert reverse("heritage:item_reveal", kwargs={"pk": item.pk}) in page
    refused = county.post(reverse("heritage:item_reveal", kwargs={"pk": item.pk}), {"purpose": ""})
    assert refused.status_code == 302 and not reveals()
    shown = county.post(reverse("heritage:item_reveal", kwargs={"pk": item.pk}), {"purpose": "回访捐赠人"})
    assert shown.status_code == 200 and "13812345678" in shown.content.decode()
    assert len(reveals(target_id=str(item.pk))) == 1
    other = client_for("other_county").post(reverse("heritage:item_reveal", kwargs={"pk": item.pk}), {"purpose": "x"})
    assert other.status_code == 404 and len(reveals()) == 1


def test_the_reads_code_has_a_chinese_label():
    with translation.override("zh-hans"):
        assert str(action_label(CODE)) != CODE
