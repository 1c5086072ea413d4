"""Staff pages of science-fitness outreach (/staff/outreach/): the lecture register (list, form,
audience, cancelling, Excel in and out), the publicity column's articles, the "five into"
activities, the units with workplace exercise and the figures per division. Views parse, check,
call, render: every rule is in services.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError

from . import figures, io, permissions, selectors, selectors_online, services, services_online
from .errors import OutreachError
from .indicators import LECTURE_NORM
from .models import (
    Article,
    ArticleStatus,
    Category,
    Channel,
    ChannelKind,
    Course,
    CourseAudience,
    CourseKind,
    Lecture,
    LectureStatus,
    Level,
    Scene,
    Setting,
    SkillActivity,
    Topic,
    Workplace,
)

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)


def _page(request, qs, template: str, extra: dict):
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"page": page, "params": request.GET, "query": query.urlencode(),
                                      "can_write": permissions.can_write(request.user), **extra})


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


# What each register's form asks: (field, label, kind, choices). Kinds: text, textarea, number,
# datetime, date, select, region, check.
def _fields(model, spec):
    return [(name, model._meta.get_field(name).verbose_name, kind, choices) for name, kind, choices in spec]


LECTURE_FORM = [("region", "region", None), ("title", "text", None), ("topic", "select", Topic.choices),
                ("starts_at", "datetime", None), ("minutes", "number", None), ("place", "text", None),
                ("speaker", "text", None), ("organiser", "text", None), ("capacity", "number", None)]
ARTICLE_FORM = [("region", "region", None), ("title", "text", None), ("category", "select", Category.choices),
                ("summary", "text", None), ("body", "textarea", None)]
ACTIVITY_FORM = [("region", "region", None), ("setting", "select", Setting.choices), ("title", "text", None),
                 ("held_on", "date", None), ("place", "text", None), ("organiser", "text", None),
                 ("participants", "number", None)]
WORKPLACE_FORM = [("region", "region", None), ("name", "text", None), ("headcount", "number", None),
                  ("participants", "number", None), ("since", "date", None), ("active", "check", None)]
CHANNEL_FORM = [("region", "region", None), ("kind", "select", ChannelKind.choices), ("name", "text", None),
                ("owner", "text", None), ("opened_year", "number", None), ("closed_year", "number", None),
                ("link", "text", None), ("account", "text", None), ("note", "text", None)]
COURSE_FORM = [("region", "region", None), ("title", "text", None), ("kind", "select", CourseKind.choices),
               ("sport", "text", None), ("level", "select", Level.choices), ("minutes", "number", None),
               ("scene", "select", Scene.choices), ("audience", "select", CourseAudience.choices),
               ("teacher", "text", None), ("provider", "text", None), ("summary", "textarea", None),
               ("link", "text", None), ("starts_at", "datetime", None)]

KINDS = {
    "lecture": (Lecture, LECTURE_FORM, services.save_lecture, selectors.lecture_or_404, "outreach:lecture",
                gettext_lazy("Schedule a lecture"), gettext_lazy("Lecture saved.")),
    "article": (Article, ARTICLE_FORM, services.save_article, selectors.article_or_404, "outreach:article",
                gettext_lazy("Write an article"), gettext_lazy("Article saved.")),
    "activity": (SkillActivity, ACTIVITY_FORM, services.save_activity, selectors.activity_or_404,
                 "outreach:activity", gettext_lazy("Record a \"five into\" activity"), gettext_lazy("Activity saved.")),
    "workplace": (Workplace, WORKPLACE_FORM, services.save_workplace, selectors.workplace_or_404,
                  "outreach:workplace", gettext_lazy("Register a unit's workplace exercise"),
                  gettext_lazy("Unit saved.")),
    "channel": (Channel, CHANNEL_FORM, services_online.save_channel, selectors_online.channel_or_404,
                "outreach:channel", gettext_lazy("Register an online channel"), gettext_lazy("Channel saved.")),
    "course": (Course, COURSE_FORM, services_online.save_course, selectors_online.course_or_404, "outreach:course",
               gettext_lazy("Write an online course"), gettext_lazy("Course saved.")),
}


def _initial(obj, spec) -> dict:
    data = {}
    for name, kind, _choices in spec:
        value = getattr(obj, "region_id" if name == "region" else name)
        data[name] = _local(value) if kind == "datetime" else (value.isoformat() if kind == "date" else value)
    return data


def _record_form(request, kind: str, pk=None):
    """The one form page of the four registers: a new record, or one to read and (if in write scope) change."""
    model, spec, save, lookup, detail, new_title, saved_message = KINDS[kind]
    obj = lookup(request.user, pk, write=request.method == "POST") if pk is not None else None
    status = 200
    if request.method == "POST":
        data = {name: request.POST.get(name, "") for name, _k, _c in spec}
        if "active" in data:
            data["active"] = request.POST.get("active") == "1"
        try:
            saved = save(request.user, data, obj, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status in (400, 409) else 400
        else:
            messages.success(request, saved_message)
            return redirect(detail, pk=saved.pk)
    elif obj is not None:
        data = _initial(obj, spec)
    else:
        data = {"active": True, "minutes": 30 if kind == "course" else 90, "capacity": 0}
    can_write = obj is None or permissions.can_write_region(request.user, obj.region_id)
    context = {"kind": kind, "obj": obj, "data": data, "fields": _fields(model, spec), "title": obj or new_title,
               "regions": selectors.divisions(request.user) if can_write else [], "can_write": can_write}
    if kind == "lecture" and obj is not None:
        context.update(started=obj.starts_at <= timezone.now(),
                       signups=obj.signups.filter(cancelled_at__isnull=True).count())
    return render(request, "outreach/form.html", context, status=status)


# ---------------------------------------------------------------- lectures


@reader
def lecture_list(request):
    return _page(request, selectors.lectures_for(request.user, request.GET), "outreach/lectures.html",
                 {"topics": Topic.choices, "statuses": LectureStatus.choices})


@writer
def lecture_new(request):
    return _record_form(request, "lecture")


@reader
def lecture_detail(request, pk):
    return _record_form(request, "lecture", pk)


@require_POST
@writer
def lecture_cancel(request, pk):
    lecture = selectors.lecture_or_404(request.user, pk, write=True)
    try:
        services.cancel_lecture(request.user, lecture, request.POST.get("reason", ""), request=request)
    except OutreachError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Lecture cancelled."))
    return redirect("outreach:lecture", pk=pk)


@require_POST
@writer
def lecture_audience(request, pk):
    lecture = selectors.lecture_or_404(request.user, pk, write=True)
    try:
        services.record_audience(request.user, lecture, request.POST.get("audience", ""), request=request)
    except OutreachError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Audience recorded."))
    return redirect("outreach:lecture", pk=pk)


@require_http_methods(["GET", "POST"])
@writer
def import_page(request):
    return imports.import_page(request, "outreach/import.html", lambda file, dry_run: io.import_lectures(
        request.user, file, dry_run=dry_run, request=request), OutreachError)


@reader
def export(request):
    return io.xlsx_response(selectors.lectures_for(request.user, request.GET))


# ---------------------------------------------------------------- the column, activities, workplaces


@reader
def article_list(request):
    return _page(request, selectors.articles_for(request.user, request.GET), "outreach/articles.html",
                 {"categories": Category.choices, "statuses": ArticleStatus.choices})


@writer
def article_new(request):
    return _record_form(request, "article")


@reader
def article_detail(request, pk):
    return _record_form(request, "article", pk)


@require_POST
@writer
def article_publish(request, pk):
    article = selectors.article_or_404(request.user, pk, write=True)
    publish = request.POST.get("publish", "1") == "1"
    try:
        services.publish_article(request.user, article, publish, request=request)
    except OutreachError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Article published.") if publish else _("Article taken back to draft."))
    return redirect("outreach:article", pk=pk)


@reader
def activity_list(request):
    return _page(request, selectors.activities_for(request.user, request.GET), "outreach/activities.html",
                 {"settings": Setting.choices})


@writer
def activity_new(request):
    return _record_form(request, "activity")


@reader
def activity_detail(request, pk):
    return _record_form(request, "activity", pk)


@reader
def workplace_list(request):
    return _page(request, selectors.workplaces_for(request.user, request.GET), "outreach/workplaces.html", {})


@writer
def workplace_new(request):
    return _record_form(request, "workplace")


@reader
def workplace_detail(request, pk):
    return _record_form(request, "workplace", pk)


@reader
def figures_page(request):
    top = selectors.top_region(request.user)
    if top is None:
        raise Http404
    today = timezone.localdate()
    return render(request, "outreach/figures.html", {"rows": figures.rollup(top, today), "today": today,
                                                     "norm": LECTURE_NORM})
