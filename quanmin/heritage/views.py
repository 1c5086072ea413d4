"""Staff pages of sports tourism and sports heritage (/staff/heritage/): the routes, demonstration
bases, quality events, collection holders and items (with the item's condition and loan log), the
items in and out of Excel, and the figures per division. Views parse, check, call, render: every
rule is in services.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import audit
from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError
from quanmin.regions.selectors import with_children

from . import figures, io, permissions, selectors, services
from .errors import HeritageError
from .models import (
    Acquisition,
    Base,
    BaseLevel,
    Condition,
    Holder,
    HolderKind,
    Item,
    ItemKind,
    LogKind,
    QualityEvent,
    Route,
)

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)

# What each register's form asks: (field, kind, choices). Kinds: text, textarea, number, date,
# select, region, check, site (a registered site's number), holder, stops, photo.
FORMS = {
    "route": (Route, [("region", "region", None), ("name", "text", None), ("length_km", "number", None),
                      ("season", "text", None), ("opened_on", "date", None), ("stops", "stops", None),
                      ("description", "textarea", None), ("photo", "photo", None), ("active", "check", None)],
              services.save_route, gettext_lazy("Register a route"), gettext_lazy("Route saved.")),
    "base": (Base, [("region", "region", None), ("name", "text", None), ("unit", "text", None),
                    ("level", "select", BaseLevel.choices), ("year_awarded", "number", None), ("site", "site", None),
                    ("description", "textarea", None), ("active", "check", None)],
             services.save_base, gettext_lazy("Register a demonstration base"), gettext_lazy("Base saved.")),
    "event": (QualityEvent, [("region", "region", None), ("name", "text", None), ("first_day", "date", None),
                             ("last_day", "date", None), ("place", "text", None), ("organiser", "text", None),
                             ("site", "site", None), ("description", "textarea", None)],
              services.save_event, gettext_lazy("Register a quality event"), gettext_lazy("Event saved.")),
    "holder": (Holder, [("region", "region", None), ("name", "text", None), ("kind", "select", HolderKind.choices),
                        ("address", "text", None), ("opened_on", "date", None), ("site", "site", None)],
               services.save_holder, gettext_lazy("Register a museum, hall of fame or archive"),
               gettext_lazy("Holder saved.")),
    "item": (Item, [("holder", "holder", None), ("catalogue_no", "text", None), ("title", "text", None),
                    ("kind", "select", ItemKind.choices), ("era", "text", None), ("donor", "text", None),
                    ("donor_phone", "text", None), ("acquired_on", "date", None),
                    ("acquisition", "select", Acquisition.choices), ("location", "text", None),
                    ("condition", "select", Condition.choices), ("note", "text", None)],
             services.save_item, gettext_lazy("Catalogue an item"), gettext_lazy("Item saved.")),
}
LIST_TITLES = {"route": gettext_lazy("Sports-tourism routes"), "base": gettext_lazy("Demonstration bases"),
               "event": gettext_lazy("Quality events"), "holder": gettext_lazy("Museums, halls of fame and archives"),
               "item": gettext_lazy("Collection items")}
FILTERS = {"base": ("level", BaseLevel.choices), "holder": ("kind", HolderKind.choices),
           "item": ("kind", ItemKind.choices)}
EXTRA_LABELS = {"stops": gettext_lazy("stops, one a line: a registered site as #12 or by its name, any other "
                                      "place as name, longitude, latitude"),
                "donor_phone": gettext_lazy("donor's phone"), "site": gettext_lazy("registered site (its number)"),
                "holder": pgettext_lazy("heritage", "holder")}


def _fields(kind: str, obj) -> list:
    model, spec = FORMS[kind][0], FORMS[kind][1]
    out = []
    for name, field_kind, choices in spec:
        if kind == "item" and name == "condition" and obj is not None:
            continue  # changed through a condition check
        label = EXTRA_LABELS.get(name) or model._meta.get_field(name).verbose_name
        out.append((name, label, field_kind, choices))
    return out


def _initial(kind: str, obj) -> dict:
    data = {}
    for name, field_kind, _choices in FORMS[kind][1]:
        if name == "stops":
            data[name] = services.stops_text(obj)
        elif name == "donor_phone":
            data[name] = obj.donor_phone_masked
        elif name in ("region", "site", "holder"):
            data[name] = getattr(obj, f"{name}_id", "") or ""
        elif name == "photo":
            data[name] = obj.photo.name if obj.photo else ""
        else:
            value = getattr(obj, name)
            data[name] = value.isoformat() if field_kind == "date" and value else value
    return data


def _record_form(request, kind: str, pk=None, revealed: str = ""):
    """The one form page of the five registers: a new record, or one to read and (in write scope)
    change; `revealed`, a donor's whole phone just read, is shown on the item's page (nothing saved)."""
    model, spec, save, new_title, saved_message = FORMS[kind]
    saving = request.method == "POST" and not revealed
    obj = selectors.record_or_404(request.user, kind, pk, write=saving) if pk is not None else None
    status = 200
    if saving:
        data = {name: request.POST.get(name, "") for name, field_kind, _c in spec if field_kind != "photo"}
        if "active" in data:
            data["active"] = request.POST.get("active") == "1"
        extra = {"photo": request.FILES.get("photo")} if kind == "route" else {}
        try:
            saved = save(request.user, data, obj, request=request, **extra)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status in (400, 409, 413) else 400
        else:
            messages.success(request, saved_message)
            return redirect(f"heritage:{kind}", pk=saved.pk)
    elif obj is not None:
        data = _initial(kind, obj)
    else:
        data = {"active": True, "condition": Condition.GOOD}
    can_write = obj is None or permissions.can_write_region(request.user, obj.region_id)
    context = {"kind": kind, "obj": obj, "data": data, "fields": _fields(kind, obj), "title": obj or new_title,
               "regions": selectors.divisions(request.user) if can_write else [],
               "holders": selectors.holders(request.user) if can_write and kind == "item" else [],
               "can_write": can_write, "today": timezone.localdate()}
    if kind == "item" and obj is not None:
        audit.read_personal(request, obj, ["masked"], "collection item")
        context.update(logs=list(obj.logs.all()), log_kinds=LogKind.choices, conditions=Condition.choices,
                       revealed=revealed)
    return render(request, "heritage/form.html", context, status=status)


def _list(request, kind: str):
    qs = selectors.records_for(request.user, kind, request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    if kind == "item":
        audit.list_personal(request, "heritage items", [i.pk for i in page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "heritage/list.html", {
        "kind": kind, "title": LIST_TITLES[kind], "page": page, "params": request.GET, "query": query.urlencode(),
        "filter": FILTERS.get(kind), "regions": with_children(selectors.top_region(request.user)),
        "can_write": permissions.can_write(request.user)})


def _views(kind: str):
    @reader
    def listing(request):
        return _list(request, kind)

    @writer
    def new(request):
        return _record_form(request, kind)

    @reader
    def detail(request, pk):
        return _record_form(request, kind, pk)

    return listing, new, detail


route_list, route_new, route_detail = _views("route")
base_list, base_new, base_detail = _views("base")
event_list, event_new, event_detail = _views("event")
holder_list, holder_new, holder_detail = _views("holder")
item_list, item_new, item_detail = _views("item")


@require_POST
@writer
def item_log(request, pk):
    item = selectors.record_or_404(request.user, "item", pk, write=True)
    try:
        services.add_log(request.user, item, {k: request.POST.get(k, "") for k in
                                              ("kind", "day", "condition", "borrower", "due_back", "note")},
                         request=request)
    except HeritageError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Entry recorded."))
    return redirect("heritage:item", pk=pk)


@require_POST
@writer
def item_reveal(request, pk):
    """The item's page with the donor's whole phone, for staff who may change the item; the read is logged."""
    item = selectors.record_or_404(request.user, "item", pk, write=True)
    try:
        phone = services.reveal_donor_phone(request.user, item, request.POST.get("purpose", ""), request=request)
    except HeritageError as exc:
        messages.error(request, exc.message)
        return redirect("heritage:item", pk=pk)
    return _record_form(request, "item", pk, revealed=phone)


@require_http_methods(["GET", "POST"])
@writer
def import_page(request):
    return imports.import_page(request, "heritage/import.html", lambda file, dry_run: io.import_items(
        request.user, file, dry_run=dry_run, request=request), HeritageError)


@reader
def export(request):
    return io.xlsx_response(request, selectors.records_for(request.user, "item", request.GET))


@reader
def figures_page(request):
    top = selectors.top_region(request.user)
    return render(request, "heritage/figures.html", {"rows": figures.rollup(top, timezone.localdate()) if top else []})
