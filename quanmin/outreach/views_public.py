"""Residents' pages of science-fitness outreach, phone-sized: the lectures to come near them (their
home county and the city) with sign-up, and the publicity column (plain text, shown escaped)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.core.errors import ServiceError

from . import selectors, services
from .models import Category


def home(request):
    lectures = list(selectors.upcoming(request.user)[:20])
    mine = selectors.my_signups(request.user, [x.pk for x in lectures])
    for lecture in lectures:
        lecture.mine = lecture.pk in mine
        lecture.left = max(lecture.capacity - lecture.signed_up, 0)
    return render(request, "outreach/public/home.html", {"lectures": lectures,
                                                         "articles": selectors.column()[:5]})


def lecture(request, pk):
    found = selectors.public_lecture_or_404(pk)
    found.mine = bool(selectors.my_signups(request.user, [found.pk]))
    found.left = max(found.capacity - found.signed_up, 0)
    return render(request, "outreach/public/lecture.html", {"lecture": found,
                                                            "open": found.starts_at > timezone.now()})


@require_POST
@login_required
def signup(request, pk):
    found = selectors.public_lecture_or_404(pk)
    try:
        services.sign_up(request.user, found, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have a place at this lecture."))
    return redirect("outreach:public_lecture", pk=pk)


@require_POST
@login_required
def signup_cancel(request, pk):
    found = selectors.public_lecture_or_404(pk)
    try:
        services.cancel_signup(request.user, found, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your place was given back."))
    return redirect("outreach:public_lecture", pk=pk)


def column(request):
    category = request.GET.get("category", "")
    page = Paginator(selectors.column(category), 20).get_page(request.GET.get("page"))
    return render(request, "outreach/public/column.html", {"page": page, "category": category,
                                                           "categories": Category.choices,
                                                           "query": f"category={category}" if category else ""})


def article(request, pk):
    return render(request, "outreach/public/article.html", {"article": selectors.published_or_404(pk)})
