"""Honours and selections (F04) on the phone and for staff: the public list and a selection's page
(nominate while nominations are taken, vote while voting is open, the winners once published), and
the staff pages under /staff/incentives/honours/ (open a selection, review nominations, open the
vote, publish the winners, Excel). Views parse, check scope and call incentives.honours."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.regions.models import Region

from . import honours
from .models import Nomination, Selection, Vote

reader = role_required(lambda u: scoping.is_division_staff(u))
writer = role_required(lambda u: scoping.is_division_staff(u, write=True))


def list_page(request):
    return render(request, "incentives/me/honours.html", {"selections": honours.public()[:50]})


def _public(pk: int) -> Selection:
    return get_object_or_404(Selection.objects.select_related("region").exclude(status=Selection.Status.DRAFT), pk=pk)


def selection_page(request, pk: int):
    selection = _public(pk)
    voted = None
    if request.user.is_authenticated and request.user.id_number_hash:
        voted = (Vote.objects.filter(selection=selection, person_key=request.user.id_number_hash)
                 .values_list("nomination_id", flat=True).first())
    return render(request, "incentives/me/honour.html", {
        "selection": selection, "nominees": honours.standing(selection)[:300], "voted": voted,
        "regions": honours.divisions(selection)})


@login_required
@require_POST
def nominate_view(request, pk: int):
    selection = _public(pk)
    try:
        honours.nominate(request.user, selection, request.POST.dict(), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: the nomination is sent for review."))
    return redirect("incentives:honour", pk=selection.pk)


@login_required
@require_POST
def vote_view(request, pk: int):
    nomination = get_object_or_404(Nomination.objects.exclude(selection__status=Selection.Status.DRAFT), pk=pk)
    try:
        honours.vote(request.user, nomination.pk, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your vote is counted."))
    return redirect("incentives:honour", pk=nomination.selection_id)


# -- staff ----------------------------------------------------------------------------------------

def _selection(request, pk: int, write: bool = False) -> Selection:
    return scoping.get_scoped_or_404(request.user, Selection.objects.select_related("region"), write, pk=pk)


@reader
def staff_list_page(request):
    regions = list(scoping.top_regions(request.user, write=True)[:20])
    if request.method == "POST":
        region = Region.objects.filter(pk=request.POST.get("region", "")[:12]).first()
        if region is None or not scoping.can_write_region(request.user, region.code):
            raise Http404
        try:
            selection = honours.create(request.user, region, request.POST.dict(), request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("incentives:staff_honour", pk=selection.pk)
    return render(request, "incentives/staff/honours.html", {
        "selections": scoping.scoped(request.user, Selection.objects.select_related("region"))[:100],
        "regions": regions, "kinds": Selection.Kind.choices})


@reader
def staff_selection_page(request, pk: int):
    selection = _selection(request, pk)
    return render(request, "incentives/staff/honour.html", {
        "selection": selection, "write": scoping.can_write_region(request.user, selection.region_id),
        "regions": honours.divisions(selection),
        "nominations": selection.nominations.select_related("region").order_by("status", "-votes", "pk")[:500]})


def _act(request, pk: int, act, done: str):
    selection = _selection(request, pk, write=True)
    try:
        act(selection)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("incentives:staff_honour", pk=selection.pk)


@writer
@require_POST
def staff_advance_view(request, pk: int):
    return _act(request, pk, lambda s: honours.advance(request.user, s, request=request), _("Selection moved on."))


@writer
@require_POST
def staff_nominate_view(request, pk: int):
    return _act(request, pk, lambda s: honours.nominate(request.user, s, request.POST.dict(), request=request),
                _("Nominee added."))


@writer
@require_POST
def staff_review_view(request, pk: int):
    nomination = scoping.get_scoped_or_404(request.user, Nomination.objects.select_related("selection"), True, pk=pk)
    return _act(request, nomination.selection_id,
                lambda s: honours.review(request.user, nomination, accept=request.POST.get("accept") == "1", request=request),
                _("Nomination reviewed."))


@writer
@require_POST
def staff_publish_view(request, pk: int):
    ids = [int(v) for v in request.POST.getlist("winner") if v.isdigit()][:1000]
    return _act(request, pk, lambda s: honours.publish(request.user, s, ids, request=request), _("Winners published."))


@reader
def staff_xlsx(request, pk: int):
    return honours.workbook(_selection(request, pk))
