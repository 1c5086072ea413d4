"""Staff pages of the brand register under /staff/events/brands/: the list (Excel out), a new brand,
a brand's page (its events by year, edit, retire, reinstate), the import with its template, the
units without a brand, and linking an event to its brand from the event's page.

Objects outside the user's scope answer 404 (accounts.scoping); writes go through services_brands.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError
from quanmin.core.views import act
from quanmin.organizations.models import Organization
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import brands_io, services_brands
from .forms import BrandForm
from .models import Brand, Games
from .services import ASSOCIATION_KINDS

reader = role_required(lambda u: scoping.is_division_staff(u))
writer = role_required(lambda u: scoping.is_division_staff(u, write=True))
CHOICES = 300


def _brand(request, pk: int, write: bool = False) -> Brand:
    return scoping.get_scoped_or_404(request.user, Brand.objects.select_related("region", "organization"), write,
                                     pk=pk)


def _filters(request) -> dict:
    return {"region": request.GET.get("region", "")[:12], "status": request.GET.get("status", ""),
            "q": request.GET.get("q", "").strip()[:60]}


@reader
def brand_list(request):
    f = _filters(request)
    page = Paginator(services_brands.staff_brands(request.user, **f), 50).get_page(request.GET.get("page"))
    return render(request, "events/staff/brands.html", {
        "page": page, "f": f, "query": urlencode({k: v for k, v in f.items() if v}),
        "can_write": scoping.is_division_staff(request.user, write=True)})


def _associations(user):
    found = Organization.objects.filter(kind__in=ASSOCIATION_KINDS, active=True, review=Organization.Review.APPROVED)
    return list(scoping.scoped(user, found, True).select_related("region").order_by("name", "pk")[:CHOICES])


@writer
def brand_new(request):
    associations = _associations(request.user)
    form = BrandForm(request.POST or None, associations=associations,
                     initial={"since": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region, org_pk = data.pop("region"), data.pop("organization")
        organization = next((o for o in associations if o.pk == org_pk), None)  # the form took only these
        try:
            brand = services_brands.register_brand(request.user, data, region=region, organization=organization,
                                                   request=request)
            messages.success(request, _("The brand is registered."))
            return redirect("events:brand", pk=brand.pk)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "events/staff/brand_form.html", {"form": form, "region": request.POST.get("region", "")})


@require_http_methods(["GET", "POST"])
@reader
def brand_page(request, pk: int):
    brand = _brand(request, pk)
    may_write = scoping.can_write_region(request.user, brand.region_id)
    form = BrandForm(request.POST or None, editing=True, initial={
        "name": brand.name, "sport": brand.sport, "since": brand.since, "description": brand.description})
    if request.method == "POST":
        if not may_write:
            raise Http404
        if form.is_valid():
            try:
                services_brands.update_brand(request.user, brand, form.cleaned_data, request=request)
                messages.success(request, _("Saved."))
                return redirect("events:brand", pk=pk)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    events = (brand.events.select_related("region").order_by("-year", "-first_day", "-pk")[:200])
    return render(request, "events/staff/brand.html", {"brand": brand, "form": form, "may_write": may_write,
                                                       "events": events}, status=400 if form.errors else 200)


@writer
@require_POST
def brand_retire(request, pk: int):
    brand = _brand(request, pk, write=True)
    return act(request, "events:brand", pk, lambda: services_brands.retire_brand(
        request.user, brand, request.POST.get("reason", ""), request=request), _("The brand is retired."))


@writer
@require_POST
def brand_reinstate(request, pk: int):
    brand = _brand(request, pk, write=True)
    return act(request, "events:brand", pk, lambda: services_brands.reinstate_brand(request.user, brand, request=request),
               _("The brand is held again."))


@require_http_methods(["GET", "POST"])
@writer
def brand_import(request):
    return imports.import_page(request, "events/staff/brands_import.html", lambda file, dry_run: brands_io.import_brands(
        request.user, file, dry_run=dry_run, request=request), brands_io.error)


@reader
def brand_export(request):
    found = services_brands.staff_brands(request.user, **_filters(request))
    audit.record("export", request=request, detail={"what": "events.brand", "count": found.count()})
    return brands_io.xlsx_response(found)


@writer
def brand_template(request):
    return brands_io.template_response()


@reader
def brand_gaps(request):
    """The townships, villages and communities, and associations of a division without a brand."""
    code = request.GET.get("region", "")[:12]
    region = Region.objects.filter(code=code).first() if code.isdigit() else scoping.top_region(request.user)
    if region is None or not scoping.can_read_region(request.user, region.code):
        raise Http404
    gaps = services_brands.units_without_brand(codes.prefix(region.code), timezone.localdate())
    return render(request, "events/staff/brand_gaps.html", {"region": region, "gaps": gaps})


@role_required(lambda u: scoping.is_division_staff(u, write=True))
@require_POST
def link_view(request, pk: int):
    """Link an event to a brand (or to none) from the event's staff page."""
    games = scoping.get_scoped_or_404(request.user, Games.objects.all(), True, pk=pk)
    raw = request.POST.get("brand", "")
    brand = None
    if raw:
        brand = scoping.scoped(request.user, Brand.objects.select_related("region", "organization")).filter(
            pk=int(raw) if raw.isdigit() and len(raw) < 16 else 0).first()
        if brand is None:
            messages.error(request, _("No such brand in your scope."))
            return redirect("events:staff_games", pk=pk)
    return act(request, "events:staff_games", pk, lambda: services_brands.link_games(request.user, games, brand,
                                                                                   request=request), _("Saved."))

