"""Staff pages for training courses (enrolment, attendance, results), the dual posts, the supplier
directory, skills contests and the residents' questions to stations; the resident's "ask for
guidance" at a station. Views parse, check the role, call the services and render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError

from . import io_contests, permissions, pools, training
from .errors import PeopleError
from .forms import (
    AnswerForm,
    AskForm,
    ContestForm,
    ContestResultForm,
    EnrolForm,
    PostForm,
    ResultForm,
    SupplierForm,
    TrainingForm,
)
from .models import Contest, Enrollment, GuidanceRequest, Instructor, Post, Station, Supplier, Training
from .stations import stations_of_staff

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)
signed_in = role_required(lambda user: True)
answerer = role_required(permissions.can_confirm_logs)


def _add_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _page(request, qs, size=50):
    return Paginator(qs, size).get_page(request.GET.get("page"))


@reader
def trainings(request):
    form = TrainingForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can_write(request.user):
            return redirect("people:trainings")
        if form.is_valid():
            try:
                made = training.create_training(form.cleaned_data, by=request.user, request=request)
                return redirect("people:training", pk=made.pk)
            except ServiceError as exc:
                _add_error(form, exc)
    qs = scoping.scoped(request.user, Training.objects.select_related("region", "site")).order_by("-starts_on", "id")
    return render(request, "people/staff/trainings.html", {
        "page": _page(request, qs), "form": form, "can_write": permissions.can_write(request.user)})


@reader
def training_detail(request, pk: int):
    course = scoping.get_scoped_or_404(request.user, Training.objects.select_related("region", "site"), pk=pk)
    may_write = scoping.can_write_region(request.user, course.region_id)
    enrol_form = EnrolForm(request.POST or None)
    if request.method == "POST" and may_write and enrol_form.is_valid():
        person = scoping.scoped(request.user, Instructor.objects.all()).filter(
            pk=enrol_form.cleaned_data["instructor"]).first()
        if person is None:
            enrol_form.add_error("instructor", _("Nobody with this system ID in your area."))
        else:
            try:
                training.enrol(course, person, by=request.user, request=request)
                messages.success(request, _("Enrolled."))
                return redirect("people:training", pk=pk)
            except ServiceError as exc:
                _add_error(enrol_form, exc)
    rows = course.enrollments.select_related("instructor", "instructor__region").order_by("instructor__real_name")
    return render(request, "people/staff/training.html", {
        "t": course, "rows": rows, "may_write": may_write, "enrol_form": enrol_form, "result_form": ResultForm()})


@writer
@require_POST
def training_result(request, pk: int):
    found = _enrollment(request, pk)
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Some fields are not valid."))
    else:
        try:
            training.record_result(found, attended_hours=form.cleaned_data["attended_hours"],
                                   passed=form.cleaned_data["passed"], by=request.user, request=request)
            messages.success(request, _("Saved."))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    return redirect("people:training", pk=found.training_id)


def _enrollment(request, pk: int) -> Enrollment:
    training_ids = scoping.scoped(request.user, Training.objects.all(), write=True).values("id")
    found = Enrollment.objects.select_related("training").filter(pk=pk, training_id__in=training_ids).first()
    if found is None:
        raise Http404
    return found


@signed_in
@require_POST
def ask(request, pk: int):
    station = Station.objects.filter(pk=pk, active=True).first()
    if station is None:
        return redirect("people:finder")
    form = AskForm(request.POST)
    if form.is_valid():
        try:
            pools.ask(station, request.user, form.cleaned_data, request=request)
            messages.success(request, _("Sent: the answer appears on this page."))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Say what you would like to learn."))
    return redirect("people:station", pk=pk)


@answerer
def requests_page(request):
    stations = stations_of_staff(request.user)
    q = scoping.scope_q(request.user, GuidanceRequest, write=True)
    qs = GuidanceRequest.objects.select_related("station", "user")
    if q is not None:
        qs = qs.filter(q | Q(station_id__in=stations))
    return render(request, "people/staff/requests.html", {
        "page": _page(request, qs.order_by("status", "-created_at")), "form": AnswerForm()})


@answerer
@require_POST
def request_answer(request, pk: int):
    found = GuidanceRequest.objects.filter(pk=pk).first()
    form = AnswerForm(request.POST)
    if found is None or not pools.can_answer(request.user, found):
        messages.error(request, _("You may not answer this question."))
    elif not form.is_valid():
        messages.error(request, _("Write an answer."))
    else:
        try:
            pools.answer(found, form.cleaned_data["answer"], by=request.user, request=request)
            messages.success(request, _("Saved."))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    return redirect("people:requests")


def _register_page(request, *, model, form_class, save, template, order):
    form = form_class(request.POST or None)
    if request.method == "POST":
        if not permissions.can_write(request.user):
            return None
        if form.is_valid():
            try:
                save(form.cleaned_data, by=request.user, request=request)
                messages.success(request, _("Saved."))
                return redirect(request.path)
            except ServiceError as exc:
                _add_error(form, exc)
    qs = scoping.scoped(request.user, model.objects.select_related("region")).order_by(*order)
    return render(request, template, {"page": _page(request, qs), "form": form,
                                      "can_write": permissions.can_write(request.user)})


@reader
def posts(request):
    return _register_page(request, model=Post, form_class=PostForm, save=pools.appoint,
                          template="people/staff/posts.html", order=("region_id", "kind", "-appointed_on")) or redirect("people:posts")


@reader
def suppliers(request):
    return _register_page(request, model=Supplier, form_class=SupplierForm, save=pools.save_supplier,
                          template="people/staff/suppliers.html", order=("region_id", "kind", "name")) or redirect("people:suppliers")


@reader
def contests(request):
    return _register_page(request, model=Contest, form_class=ContestForm, save=pools.create_contest,
                          template="people/staff/contests.html", order=("-held_on", "id")) or redirect("people:contests")


@reader
def contest_detail(request, pk: int):
    contest = scoping.get_scoped_or_404(request.user, Contest.objects.select_related("region"), pk=pk)
    may_write = scoping.can_write_region(request.user, contest.region_id)
    form = ContestResultForm(request.POST or None)
    if request.method == "POST" and may_write and form.is_valid():
        person = scoping.scoped(request.user, Instructor.objects.all()).filter(pk=form.cleaned_data["instructor"]).first()
        if person is None:
            form.add_error("instructor", _("Nobody with this system ID in your area."))
        else:
            try:
                pools.record_contest_result(contest, person, rank=form.cleaned_data["rank"],
                                            award=form.cleaned_data["award"], by=request.user, request=request)
                return redirect("people:contest", pk=pk)
            except ServiceError as exc:
                _add_error(form, exc)
    return render(request, "people/staff/contest.html", {
        "c": contest, "results": contest.results.select_related("instructor", "instructor__region"),
        "form": form, "may_write": may_write})



@require_http_methods(["GET", "POST"])
@writer
def contest_import(request, pk: int):
    contest = scoping.get_scoped_or_404(request.user, Contest.objects.select_related("region"), write=True, pk=pk)
    return imports.import_page(request, "people/staff/contest_import.html", lambda file, dry_run: io_contests.import_results(
        contest, request.user, file, dry_run=dry_run, request=request), PeopleError, {"c": contest})


@reader
def contest_export(request, pk: int):
    contest = scoping.get_scoped_or_404(request.user, Contest.objects.all(), pk=pk)
    audit.record("export", request=request, obj=contest, detail={"what": "people.contest_result"})
    return io_contests.xlsx_response(contest)
