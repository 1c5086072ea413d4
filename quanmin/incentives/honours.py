"""Honours and selections (评选表彰, F04): 健身达人, 健身最美家庭, 运动达人, 我是运动家, outstanding
instructors, model counties. A division's staff open a selection; residents nominate (staff accept
or not) and staff nominate (accepted); the public votes, one vote per real-name person per
selection; staff publish the winners (the vote advises, the staff decide) and the results page lists
them.

Honours sit in incentives (layer 5) beside points and vouchers: they reward residents, families,
instructors and divisions and read nothing else. A vote is a row under a unique (selection, person)
constraint and the nominee's count moves by a relative UPDATE in the same transaction: two votes of
one person at once leave one, and the counts equal the rows.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from quanmin.accounts import audit, scoping
from quanmin.core.excel import xlsx_response
from quanmin.regions import codes
from quanmin.regions.models import Region

from .errors import fail, invalid
from .models import Nomination, Selection, Vote
from .vouchers import whole

NEXT = {Selection.Status.DRAFT: Selection.Status.NOMINATING, Selection.Status.NOMINATING: Selection.Status.VOTING}


def _text(value, field: str, most: int, *, required: bool = True) -> str:
    text = str(value or "").replace("\x00", "").strip()[:most]
    if required and not text:
        raise invalid(_("This field is required."), field)
    return text


def create(user, region: Region, data: dict, *, request=None) -> Selection:
    """A draft selection awarded by `region` (the caller's own division or below)."""
    if not scoping.can_write_region(user, region.code):
        raise fail("not_found")
    kind = str(data.get("kind", ""))
    if kind not in Selection.Kind.values:
        raise invalid(_("Choose the honour from the list."), "kind")
    selection = Selection.objects.create(
        region=region, kind=kind, name=_text(data.get("name"), "name", 80),
        year=whole(data.get("year") or timezone.localdate().year, "year", minimum=2000, maximum=2100),
        description=_text(data.get("description"), "description", 2000, required=False),
        places=whole(data.get("places") or 10, "places", minimum=1, maximum=1000), created_by=user)
    audit.record("honour_selection", request=request, actor=user, obj=selection, region_code=region.code)
    return selection


def advance(user, selection: Selection, *, request=None) -> Selection:
    """Draft → taking nominations → public voting (voting needs an accepted nominee)."""
    if not scoping.can_write_region(user, selection.region_id):
        raise fail("not_found")
    with transaction.atomic():
        selection = Selection.objects.select_for_update().get(pk=selection.pk)
        step = NEXT.get(selection.status)
        if step is None:
            raise fail("selection_status")
        if step == Selection.Status.VOTING and not selection.nominations.filter(status=Nomination.Status.ACCEPTED).exists():
            raise fail("no_nominees")
        selection.status = step
        selection.save(update_fields=["status"])
    audit.record("honour_step", request=request, actor=user, obj=selection, detail={"status": step})
    return selection


def nominate(user, selection: Selection, data: dict, *, request=None) -> Nomination:
    """Put a nominee forward while the selection takes nominations: staff who may write the selection's
    division nominate (accepted at once); a resident with a real name nominates for review."""
    if selection.status == Selection.Status.DRAFT:
        raise fail("not_found")
    if selection.status != Selection.Status.NOMINATING:
        raise fail("selection_status")
    staff = scoping.can_write_region(user, selection.region_id)
    if not staff and not (user.real_name and user.id_number_hash):
        raise fail("real_name_required", status=403)
    region = Region.objects.filter(pk=str(data.get("region") or selection.region_id)[:12]).first()
    if region is None or not codes.contains(selection.region_id, region.code):
        raise invalid(_("Choose a division within the selection's."), "region")
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                selection=selection, region=region, nominee=_text(data.get("nominee"), "nominee", 60),
                citation=_text(data.get("citation"), "citation", 1000), nominated_by=user,
                status=Nomination.Status.ACCEPTED if staff else Nomination.Status.PENDING,
                reviewed_by=user if staff else None)
    except IntegrityError:
        raise fail("already_nominated") from None
    audit.record("honour_nomination", request=request, actor=user, obj=nomination, region_code=selection.region_id)
    return nomination


def review(user, nomination: Nomination, *, accept: bool, request=None) -> Nomination:
    """Staff accept a resident's nomination (it goes to the vote) or not, before voting opens."""
    selection = nomination.selection
    if not scoping.can_write_region(user, selection.region_id):
        raise fail("not_found")
    if selection.status not in (Selection.Status.NOMINATING, Selection.Status.VOTING) and accept:
        raise fail("selection_status")
    status = Nomination.Status.ACCEPTED if accept else Nomination.Status.REJECTED
    if not Nomination.objects.filter(pk=nomination.pk, status=Nomination.Status.PENDING).update(status=status,
                                                                                              reviewed_by=user):
        raise fail("nomination_reviewed")
    nomination.refresh_from_db()
    audit.record("honour_review", request=request, actor=user, obj=nomination, detail={"accepted": accept})
    return nomination


def vote(user, nomination_id: int, *, request=None) -> Vote:
    """One vote per real-name person per selection, for an accepted nominee while voting is open."""
    nomination = Nomination.objects.select_related("selection").filter(pk=nomination_id).first()
    if nomination is None or nomination.selection.status == Selection.Status.DRAFT:
        raise fail("not_found")
    if nomination.selection.status != Selection.Status.VOTING or nomination.status != Nomination.Status.ACCEPTED:
        raise fail("voting_closed")
    if not user.real_name or not user.id_number_hash:
        raise fail("real_name_required", status=403)
    try:
        with transaction.atomic():
            cast = Vote.objects.create(selection_id=nomination.selection_id, nomination=nomination, user=user,
                                       person_key=user.id_number_hash)
            Nomination.objects.filter(pk=nomination.pk).update(votes=F("votes") + 1)
    except IntegrityError:
        raise fail("already_voted") from None
    return cast


def publish(user, selection: Selection, winner_ids: list[int], *, request=None) -> Selection:
    """Close the vote and publish the winners staff chose among the accepted nominees (at most
    `places`); the results page and the Excel list show them."""
    if not scoping.can_write_region(user, selection.region_id):
        raise fail("not_found")
    with transaction.atomic():
        selection = Selection.objects.select_for_update().get(pk=selection.pk)
        if selection.status != Selection.Status.VOTING:
            raise fail("selection_status")
        chosen = set(selection.nominations.filter(pk__in=winner_ids, status=Nomination.Status.ACCEPTED)
                     .values_list("pk", flat=True))
        if not chosen or len(chosen) != len(set(winner_ids)) or len(chosen) > selection.places:
            raise fail("winners_invalid", places=selection.places)
        selection.nominations.filter(pk__in=chosen).update(winner=True)
        selection.status, selection.published_at = Selection.Status.PUBLISHED, timezone.now()
        selection.save(update_fields=["status", "published_at"])
    audit.record("honour_publish", request=request, actor=user, obj=selection, detail={"winners": sorted(chosen)})
    return selection


def public(now: datetime.datetime | None = None):
    """Selections the public sees: taking nominations, voting, or published."""
    return (Selection.objects.exclude(status=Selection.Status.DRAFT).select_related("region")
            .order_by("-year", "status", "-id"))


def divisions(selection: Selection) -> list[Region]:
    """The divisions a nominee may come from: the selection's own and those within it (a few hundred)."""
    return list(Region.objects.filter(code__range=codes.subtree_range(codes.prefix(selection.region_id)))
                .order_by("code")[:300])


def standing(selection: Selection):
    """The accepted nominees, most votes first (winners first once published)."""
    rows = selection.nominations.filter(status=Nomination.Status.ACCEPTED).select_related("region")
    return rows.order_by("-winner", "-votes", "created_at", "pk")


def workbook(selection: Selection):
    """The selection's nominees and votes as Excel (its published list once published)."""
    rows = [[n.nominee, n.region.name, n.citation, n.votes, _("yes") if n.winner else ""] for n in standing(selection)]
    return xlsx_response(f"selection-{selection.pk}.xlsx", [
        (_("Nominees"), [_("Nominee"), _("Division"), _("Why"), _("Votes"), pgettext("honour", "Awarded")], rows)])
