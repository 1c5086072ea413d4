"""The instructor's own pages (phone-sized): my record, applying, my details, and recording a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.core.uploads import file_response

from . import logs, permissions, selectors, services
from .forms import LogForm, OwnApplyForm, OwnEditForm
from .models import DutyLog, sports_list

signed_in = role_required(lambda user: True)


@signed_in
def me(request):
    instructor = permissions.own_instructor(request.user)
    apply_form = edit_form = None
    if instructor is None:
        apply_form = OwnApplyForm(request.POST or None,
                                  initial={"region": request.user.home_region_id or ""})
        if request.method == "POST" and apply_form.is_valid():
            user = request.user
            data = {**apply_form.cleaned_data, "real_name": user.real_name, "id_number": user.id_number,
                    "phone": user.phone}
            try:
                services.apply(data, user=user, request=request)
                messages.success(request, _("Your application is sent: the staff of your division review it."))
                return redirect("people:me")
            except ServiceError as exc:
                apply_form.add_error(exc.field if exc.field in apply_form.fields else None, str(exc.message))
    else:
        edit_form = OwnEditForm(request.POST or None, initial={
            "sports": sports_list(instructor.sports), "public_name": instructor.public_name,
            "phone": instructor.phone})
        if request.method == "POST" and edit_form.is_valid():
            try:
                services.update(instructor, edit_form.cleaned_data, by=request.user, request=request)
                messages.success(request, _("Saved."))
                return redirect("people:me")
            except ServiceError as exc:
                edit_form.add_error(exc.field if exc.field in edit_form.fields else None, str(exc.message))
    return render(request, "people/me.html", {
        "i": instructor, "apply_form": apply_form, "edit_form": edit_form,
        "logs": selectors.own_logs(instructor)[:30] if instructor else [],
        "associations": selectors.associations_of(instructor),
        "record": selectors.record_of(instructor) if instructor else None,
        "missing_identity": not (request.user.real_name and request.user.id_number_hash)})


@signed_in
def log_new(request):
    instructor = permissions.own_instructor(request.user)
    if instructor is None:
        messages.info(request, _("Register as an instructor first."))
        return redirect("people:me")
    form = LogForm(request.POST or None, request.FILES or None, stations=instructor.stations.filter(active=True))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        try:
            logs.record(instructor, data, by=request.user, photo=photo, request=request)
            messages.success(request, _("Recorded: the station or community confirms it."))
            return redirect("people:me")
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "people/log_new.html", {"form": form, "i": instructor})


@login_required
def log_photo(request, pk: int):
    """A service log's photo: for the instructor, the station's staff and the division's (404 otherwise)."""
    log = logs.visible_logs(request.user).filter(pk=pk).first()
    if log is None:
        raise Http404
    return file_response(log.photo)


@signed_in
def log_edit(request, pk):
    """Correct one of my services while it waits for confirmation (then it is read-only)."""
    instructor = permissions.own_instructor(request.user)
    log = instructor.logs.select_related("station", "site").filter(pk=pk).first() if instructor else None
    if log is None:
        raise Http404
    if log.status != DutyLog.Status.PENDING:
        messages.info(request, _("This service has been confirmed or turned down: it can no longer be changed."))
        return redirect("people:me")
    initial = {**logs.as_data(log), "started_at": timezone.localtime(log.started_at).strftime("%Y-%m-%dT%H:%M"),
               "ended_at": timezone.localtime(log.ended_at).strftime("%Y-%m-%dT%H:%M")}
    form = LogForm(request.POST or None, request.FILES or None, initial=initial,
                   stations=instructor.stations.filter(active=True))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        try:
            logs.edit(log, data, by=request.user, photo=photo, request=request)
            messages.success(request, _("Saved: the station or community confirms it."))
            return redirect("people:me")
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, "people/log_new.html", {"form": form, "i": instructor, "log": log},
                  status=400 if form.errors else 200)
