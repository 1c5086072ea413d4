"""Staff pages of the register: list, create, edit, close, facilities and hours, within scope."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.regions import codes

from . import permissions, selectors, services, types
from .errors import FacilityError
from .forms import CloseForm, FacilityForm, RuleFormSet, SiteForm
from .models import Facility, Site

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)


def _filters(request) -> selectors.Filters:
    g = request.GET
    return selectors.Filters(types=[t for t in g.getlist("type") if t], group=g.get("group", ""),
                             free_or_low_fee=g.get("free") == "1", accessible=g.get("accessible") == "1",
                             region=g.get("region", "") if codes.is_prefix(g.get("region", "")) else "",
                             q=g.get("q", "").strip(), include_unbuilt=True)


@reader
def site_list(request):
    qs = scoping.scoped(request.user, Site.objects.select_related("region"))
    status = request.GET.get("status", "")
    if status in Site.Status.values:
        qs = qs.filter(status=status)
    qs = selectors.filter_sites(qs, _filters(request)).annotate(n_facilities=Count("facilities")).order_by("region_id", "name")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "facilities/staff/site_list.html", {
        "page": page, "statuses": Site.Status.choices, "types": types.choices(),
        "can_write": permissions.can_write(request.user), "query": request.GET.urlencode(),
    })


def _save_site(request, site, form):
    data = {k: form.cleaned_data[k] for k in SiteForm.Meta.fields}
    data["region"] = form.cleaned_data["region_code"]
    region = services.check_region(data["region"])
    if not scoping.can_write_region(request.user, region.code):
        raise FacilityError("region_out_of_scope", _("This division is outside your scope."), "region_code")
    if site is None:
        return services.create_site(data, request=request)
    return services.update_site(site, data, request=request)


@writer
def site_edit(request, pk=None):
    site = None
    if pk is not None:
        site = scoping.get_scoped_or_404(request.user, Site.objects.all(), write=True, pk=pk)
    initial = {"region_code": site.region_id} if site else {}
    form = SiteForm(request.POST or None, instance=site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_site(request, site, form)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("facilities:staff_site", pk=saved.pk)
    return render(request, "facilities/staff/site_form.html", {"form": form, "site": site},
                  status=400 if form.errors else 200)


@reader
def site_detail(request, pk):
    site = scoping.get_scoped_or_404(request.user, Site.objects.select_related("region"), pk=pk)
    can_write = scoping.can_write_region(request.user, site.region_id)
    return render(request, "facilities/staff/site_detail.html", {
        "site": site, "facilities": site.facilities.all(), "rules": site.opening_rules.all(),
        "exceptions": site.opening_exceptions.all()[:20], "can_write": can_write,
        "close_form": CloseForm(), "facility_form": FacilityForm(),
    })


@writer
def facility_edit(request, pk, facility_pk=None):
    site = scoping.get_scoped_or_404(request.user, Site.objects.all(), write=True, pk=pk)
    facility = None
    if facility_pk is not None:
        facility = site.facilities.filter(pk=facility_pk).first()
        if facility is None:
            raise Http404
    form = FacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in FacilityForm.Meta.fields}
        try:
            if facility is None:
                services.add_facility(site, data, request=request)
            else:
                services.update_facility(facility, data, request=request)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("facilities:staff_site", pk=site.pk)
    return render(request, "facilities/staff/facility_form.html", {"form": form, "site": site, "facility": facility},
                  status=400 if form.errors else 200)


@writer
@require_POST
def facility_delete(request, pk, facility_pk):
    site = scoping.get_scoped_or_404(request.user, Site.objects.all(), write=True, pk=pk)
    facility = Facility.objects.filter(site=site, pk=facility_pk).first()
    if facility is None:
        raise Http404
    try:
        services.remove_facility(facility, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Facility removed from the register."))
    return redirect("facilities:staff_site", pk=site.pk)


@writer
@require_POST
def site_close(request, pk):
    site = scoping.get_scoped_or_404(request.user, Site.objects.all(), write=True, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        services.close_site(site, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"], request=request)
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Give the new status and a reason."))
    return redirect("facilities:staff_site", pk=site.pk)


@writer
def site_hours(request, pk):
    site = scoping.get_scoped_or_404(request.user, Site.objects.all(), write=True, pk=pk)
    initial = [{"kind": r.kind, "weekday": r.weekday, "opens": r.opens, "closes": r.closes, "price_note": r.price_note}
               for r in site.opening_rules.all()]
    formset = RuleFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rules = [f.cleaned_data for f in formset.forms
                 if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            services.set_opening_rules(site, rules, request=request)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("facilities:staff_site", pk=site.pk)
    return render(request, "facilities/staff/hours_form.html", {"formset": formset, "site": site})
