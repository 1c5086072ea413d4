"""Pages of the online fitness services (F11). Staff (/staff/outreach/online/): the register of online
service channels (list, form, Excel in and out with a template), the online courses (list, form,
publishing) and the figures of a year per division. Residents (/outreach/online/, phone-sized): the
published courses near them, filtered by form, scene and the people they are for, a course's page
with its video or live-room link and their own "done" mark, and the channels in service. Views parse,
check, call, render: every rule is in services_online.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.core import imports
from quanmin.core.errors import ServiceError

from . import figures, io_online, selectors, selectors_online, services_online
from .errors import OutreachError
from .models import MAX_YEAR, MIN_YEAR, ArticleStatus, ChannelKind, CourseAudience, CourseKind, Scene
from .views_staff import _page, _record_form, reader, writer

# ---------------------------------------------------------------- staff: channels


@reader
def channel_list(request):
    return _page(request, selectors_online.channels_for(request.user, request.GET), "outreach/online/channels.html",
                 {"kinds": ChannelKind.choices, "year": timezone.localdate().year})


@require_http_methods(["GET", "POST"])
@writer
def channel_new(request):
    return _record_form(request, "channel")


@require_http_methods(["GET", "POST"])
@reader
def channel_detail(request, pk):
    return _record_form(request, "channel", pk)


@require_http_methods(["GET", "POST"])
@writer
def channel_import(request):
    return imports.import_page(request, "outreach/online/import.html", lambda file, dry_run: io_online.import_channels(
        request.user, file, dry_run=dry_run, request=request), OutreachError)


@writer
def channel_template(request):
    return io_online.template_response()


@reader
def channel_export(request):
    return io_online.xlsx_response(selectors_online.channels_for(request.user, request.GET))


# ---------------------------------------------------------------- staff: courses


@reader
def course_list(request):
    return _page(request, selectors_online.courses_for(request.user, request.GET), "outreach/online/courses.html",
                 {"kinds": CourseKind.choices, "scenes": Scene.choices, "audiences": CourseAudience.choices,
                  "statuses": ArticleStatus.choices})


@require_http_methods(["GET", "POST"])
@writer
def course_new(request):
    return _record_form(request, "course")


@require_http_methods(["GET", "POST"])
@reader
def course_detail(request, pk):
    return _record_form(request, "course", pk)


@require_POST
@writer
def course_publish(request, pk):
    course = selectors_online.course_or_404(request.user, pk, write=True)
    publish = request.POST.get("publish", "1") == "1"
    try:
        services_online.publish_course(request.user, course, publish, request=request)
    except OutreachError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Course published.") if publish else _("Course taken back to draft."))
    return redirect("outreach:course", pk=pk)


@reader
def online_figures(request):
    top = selectors.top_region(request.user)
    if top is None:
        raise Http404
    today = timezone.localdate()
    year = selectors._year(request.GET.get("year")) or today.year
    year = min(max(year, MIN_YEAR), MAX_YEAR, today.year)
    as_of = today if year == today.year else today.replace(year=year, month=12, day=31)
    return render(request, "outreach/online/figures.html", {
        "rows": figures.online_rollup(top, as_of), "year": year, "as_of": as_of,
        "years": list(range(today.year, today.year - 6, -1))})


# ---------------------------------------------------------------- residents


FILTERS = ("kind", "scene", "audience", "sport")


def catalogue(request):
    params = {k: request.GET.get(k, "") for k in FILTERS}
    page = Paginator(selectors_online.catalogue(request.user, params), 20).get_page(request.GET.get("page"))
    done = selectors_online.my_done(request.user, [c.pk for c in page])
    for course in page:
        course.done = course.pk in done
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return render(request, "outreach/online/public/catalogue.html", {
        "page": page, "params": params, "query": query, "kinds": CourseKind.choices,
        "scenes": [c for c in Scene.choices if c[0] != Scene.ANY], "audiences": CourseAudience.choices,
        "sports": selectors_online.sports(request.user)})


def course(request, pk):
    found = selectors_online.public_course_or_404(pk)
    services_online.count_view(found)
    found.done = bool(selectors_online.my_done(request.user, [found.pk]))
    now = timezone.now()
    return render(request, "outreach/online/public/course.html", {
        "course": found, "started": not found.live or found.starts_at <= now})


@require_POST
@login_required
def course_done(request, pk):
    found = selectors_online.public_course_or_404(pk)
    undo = request.POST.get("undo") == "1"
    try:
        if undo:
            services_online.unmark_done(request.user, found, request=request)
        else:
            services_online.mark_done(request.user, found, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your mark was taken back.") if undo else _("Well done: the course is marked done."))
    return redirect("outreach:public_course", pk=pk)


def channels(request):
    return render(request, "outreach/online/public/channels.html",
                  {"channels": selectors_online.public_channels(request.user)[:200]})
