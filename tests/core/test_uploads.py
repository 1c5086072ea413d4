"""Uploads are private (issue 15, item 12): no /media/ address, not even with DEBUG on; every file
field of every app stores under a random name and is served by a view that checks the asker (the
uploader, staff whose division covers the object; 404 otherwise). The model list is read from
Django's registry, so a new app's file field fails here until it names the view that serves it."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from PIL import Image

from quanmin.core.uploads import PrivateStorage

# Every file field of the project -> the URL name of the view that serves it after a check.
SERVED_BY = {
    "booking.Certificate.image": "booking:staff_certificate_image",
    "events.Result.evidence": "events:evidence",
    "facilities.SitePhoto.image": "facilities:site_photo",
    "feedback.ReportPhoto.image": "feedback:staff_photo",
    "heritage.Route.photo": "heritage:route_photo",
    "maintenance.Check.photo": "maintenance:check_photo",
    "maintenance.WorkOrderPhoto.image": "maintenance:work_order_photo",
    "organizations.ContractEvidence.file": "organizations:staff_contract_evidence_file",
    "people.DutyLog.photo": "people:log_photo",
    "planning.Inclusion.evidence": "planning:inclusion_evidence",
    "planning.ItemScore.evidence": "planning:evaluation_evidence",
    "planning.LivelihoodAssessment.evidence": "planning:livelihood_evidence",
    "planning.RectificationEntry.evidence": "planning:rectification_evidence",
    "planning.ReturnAttachment.file": "planning:return_attachment",
    "planning.SpecialEvaluation.evidence": "planning:special_evidence",
    "planning.TargetFigure.evidence": "planning:figure_evidence",
    "planning.TaskEntry.evidence": "planning:entry_evidence",
    "safety.Hazard.photo": "safety:hazard_photo",
}


def file_fields():
    return sorted(f"{m._meta.app_label}.{m.__name__}.{f.name}" for m in apps.get_models()
                  if m.__module__.startswith("quanmin.") for f in m._meta.get_fields()
                  if isinstance(f, models.FileField))


def png(name="photo.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def test_every_file_field_is_served_by_a_checked_view():
    assert file_fields(), "no file fields found: the test would check nothing"
    assert file_fields() == sorted(SERVED_BY), "a file field without a checked view that serves it"
    names = {f"{r.namespace}:{r.name}" if r.namespace else r.name for r in _patterns()}
    assert set(SERVED_BY.values()) <= names


def _patterns():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                yield type("R", (), {"namespace": ns.rstrip(":"), "name": p.name})
    return list(walk(get_resolver().url_patterns))


@pytest.mark.parametrize("label", file_fields())
def test_every_file_field_stores_under_a_random_name_without_a_public_url(label, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    app_label, model_name, field_name = label.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    assert isinstance(field.storage, PrivateStorage)
    name = field.storage.save(field.generate_filename(None, "张三 身份证 370102198001011234.PNG"), ContentFile(b"x"))
    assert re.fullmatch(r"[0-9a-f]{32}\.png", name.rsplit("/", 1)[-1]), name
    assert "370102" not in name
    with pytest.raises(AttributeError):
        field.storage.url(name)


def test_media_is_not_served_even_with_debug_on(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "certificates").mkdir()
    (tmp_path / "certificates" / "1-elderly.png").write_bytes(b"secret")
    settings.DEBUG = True
    import quanmin.urls

    try:
        importlib.reload(quanmin.urls)
        clear_url_caches()
        answer = Client().get("/media/certificates/1-elderly.png")
        assert answer.status_code == 404
        assert b"secret" not in b"".join(answer.streaming_content if answer.streaming else [answer.content])
    finally:
        settings.DEBUG = False
        importlib.reload(quanmin.urls)
        clear_url_caches()


def _check(url, allowed: dict, refused: dict):
    for who, client in allowed.items():
        answer = client.get(url)
        assert answer.status_code == 200, (who, url, answer.status_code)
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in answer["Content-Security-Policy"]
    for who, client in refused.items():
        answer = client.get(url)
        assert answer.status_code in (302, 403, 404), (who, url, answer.status_code)
        if who != "anonymous" and answer.status_code != 403:
            assert answer.status_code == 404, (who, url, answer.status_code)


def test_event_evidence_for_its_entrant_and_the_games_staff_only(world, client_for, settings, tmp_path):
    from quanmin.events import services_entries as entries
    from quanmin.events import services_results
    from quanmin.events.models import Games
    from tests.events.conftest import make_games, residents

    settings.MEDIA_ROOT = str(tmp_path)
    ev = make_games(world)
    athlete = residents(world, 1)[0]
    entry = entries.enter(athlete, ev.sprint.pk)
    Games.objects.filter(pk=ev.games.pk).update(mode="online")
    entry.refresh_from_db()
    result = services_results.submit_result(athlete, entry, value="12.5", evidence=png("跑步 截图.png"))
    assert "跑步" not in result.evidence.name
    athlete_client = Client()
    athlete_client.force_login(athlete)
    _check(reverse("events:evidence", args=[result.pk]),
           {"entrant": athlete_client, "county": client_for("county"), "judge": _client(ev.judge)},
           {"anonymous": client_for(None), "other_county": client_for("other_county"),
            "resident": client_for("resident")})
    # The competition page links to the view, never to a file address.
    page = client_for("county").get(reverse("events:staff_competition", args=[ev.sprint.pk]))
    assert reverse("events:evidence", args=[result.pk]).encode() in page.content
    assert b"/media/" not in page.content


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("link, name", [("javascript:alert(document.cookie)", "script"),
                                        ("data:text/html,<script>1</script>", "data")])
def test_event_evidence_link_must_be_a_web_address(world, link, name):
    from quanmin.core.errors import ServiceError
    from quanmin.events import services_entries as entries
    from quanmin.events import services_results
    from quanmin.events.models import Games, Result
    from tests.events.conftest import make_games, residents

    ev = make_games(world)
    athlete = residents(world, 1)[0]
    entry = entries.enter(athlete, ev.sprint.pk)
    Games.objects.filter(pk=ev.games.pk).update(mode="online")
    entry.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services_results.submit_result(athlete, entry, value="12.5", evidence_url=link)
    assert exc.value.field == "evidence_url"
    with pytest.raises(ServiceError) as exc:
        services_results.submit_result(athlete, entry, value="12.5",
                                       evidence=SimpleUploadedFile("x.html", b"<script>1</script>"))
    assert exc.value.field == "evidence"
    assert not Result.objects.exists()


def test_contract_evidence_for_the_organisations_staff_only(world, client_for, settings, tmp_path):
    from quanmin.organizations import contracts, credit, services

    settings.MEDIA_ROOT = str(tmp_path)
    org = services.register({"name": "东昌府区社会体育指导员协会", "kind": "association", "status": "registered",
                             "region": world.county, "credit_code": credit.make("1", world.county.code[:6], 1)},
                            actor=world.users["superuser"])
    contract = contracts.create(org, {"service": "社区健身指导服务", "amount": "50000", "starts_on": "2025-01-01",
                                      "ends_on": "2025-12-31", "deliverables": "全年组织健身指导48次。"},
                                actor=world.users["county"])
    item = contracts.add_evidence(contract, SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4 report"), "验收",
                                  actor=world.users["county"])
    url = reverse("organizations:staff_contract_evidence_file", args=[org.pk, contract.pk, item.pk])
    _check(url, {"county": client_for("county"), "city": client_for("city")},
           {"anonymous": client_for(None), "other_county": client_for("other_county"),
            "resident": client_for("resident")})
    answer = client_for("county").get(url)
    assert answer["Content-Disposition"].startswith("attachment")
    page = client_for("county").get(reverse("organizations:staff_org", args=[org.pk]))
    assert url.encode() in page.content


def test_service_log_photo_for_the_instructor_and_staff_only(world, client_for, settings, tmp_path):
    from quanmin.people import logs
    from tests.people.conftest import active, hours_ago

    settings.MEDIA_ROOT = str(tmp_path)
    instructor = active(world, world.community, 301, user=world.users["resident"])
    started, ended = hours_ago(3, 1)
    log = logs.record(instructor, {"started_at": started, "ended_at": ended, "activity": "太极拳晨练",
                                   "sport": "taiji", "people_guided": 25, "site": world.site.pk},
                      by=world.users["resident"], photo=png())
    url = reverse("people:log_photo", args=[log.pk])
    _check(url, {"instructor": client_for("resident"), "community": client_for("community"),
                 "county": client_for("county")},
           {"anonymous": client_for(None), "other_county": client_for("other_county"),
            "other_resident": client_for("other_resident")})
    page = client_for("community").get(reverse("people:confirm"))
    assert url.encode() in page.content


def test_site_photos_public_for_built_sites_only(world, client_for, settings, tmp_path):
    from quanmin.facilities.models import Site, SitePhoto

    settings.MEDIA_ROOT = str(tmp_path)
    photo = SitePhoto(site=world.site, caption="广场")
    photo.image.save("广场.png", png(), save=True)
    url = reverse("facilities:site_photo", args=[world.site.pk, photo.pk])
    _check(url, {"anonymous": client_for(None), "resident": client_for("resident")}, {})
    page = client_for(None).get(reverse("facilities:site", args=[world.site.pk]))
    assert url.encode() in page.content and b"/media/" not in page.content
    assert client_for(None).get(reverse("facilities:site_photo", args=[world.other_site.pk, photo.pk])).status_code == 404
    Site.objects.filter(pk=world.site.pk).update(status=Site.Status.PLANNED)
    assert client_for(None).get(url).status_code == 404
    # The admin shows a link to the same view (no /media/ address to link to).
    admin_page = client_for("superuser").get(reverse("admin:facilities_sitephoto_change", args=[photo.pk]))
    assert admin_page.status_code == 200 and url.encode() in admin_page.content


def test_the_resolver_has_no_static_serve(settings):
    from django.views.static import serve

    from tests.routes import walk

    assert not [r.route for r in walk() if r.view is serve]
    with pytest.raises(Resolver404):
        resolve("/media/x.png")
