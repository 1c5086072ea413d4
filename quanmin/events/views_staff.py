"""Staff, judge and delegation-leader pages under /staff/events/: the games of each level in scope,
a new games, a games' page (level rule, safety checklist and publication, competitions, delegations,
medal table, participation, Excel, awards), a competition's entries and results (judges), and a
delegation's entries (its leader).

Objects outside the user's scope answer 404 (accounts.scoping); writes go through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.accounts.models import Role
from quanmin.core.errors import ServiceError
from quanmin.core.excel import xlsx_response
from quanmin.core.uploads import file_response
from quanmin.core.views import act
from quanmin.organizations.models import Organization
from quanmin.regions.models import Region

from . import io, selectors, services, services_brands, services_entries, services_officials, services_results
from .errors import fail
from .forms import CompetitionForm, GamesEditForm, GamesForm, ResultForm, SafetyForm
from .models import Competition, Delegation, Entry, Games, Result

backoffice = role_required(scoping.is_backoffice)


def _games(request, pk: int, write: bool = False) -> Games:
    return scoping.get_scoped_or_404(request.user, Games.objects.select_related("region", "parent", "brand_series"), write, pk=pk)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@backoffice
def list_page(request):
    level = request.GET.get("level", "")
    year = request.GET.get("year", "")
    games = selectors.staff_games(request.user, level=level, year=int(year) if year.isdigit() else None)[:200]
    rules = services.rule_checks(games) if scoping.is_division_staff(request.user) else {}
    rows = [(g, rules[g.pk]) for g in games] if rules else []
    leads = scoping.targets(request.user, {Role.DELEGATION_LEADER}, "events.Delegation")
    return render(request, "events/staff/list.html", {
        "rows": rows, "level": level, "year": year, "levels": selectors.LEVELS,
        "judged": selectors.judged_competitions(request.user)[:100],
        "delegations": Delegation.objects.filter(pk__in=leads).select_related("games")[:100],
        "can_create": scoping.is_division_staff(request.user, write=True)})


@role_required(lambda u: scoping.is_division_staff(u, write=True))
def new_page(request):
    parents = list(selectors.parent_games(request.user).select_related("region").order_by("-year", "level", "name")[:300])
    organisations = scoping.scoped(request.user, Organization.objects.all(), True).order_by("name", "pk")[
        :selectors.CHOICES]
    form = GamesForm(request.POST or None, parents=parents, organisations=organisations, initial={
        "year": timezone.localdate().year, "mode": "offline", "payment_provider": "on_site", "kind": "games"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = Region.objects.filter(code=data.pop("region")).first()
        parent_pk = data.pop("parent")
        org_pk = data.pop("organization")
        organization = next((o for o in organisations if o.pk == org_pk), None)
        parent = next((g for g in parents if g.pk == parent_pk), None)  # the form took only these
        try:
            if region is None:
                raise Http404
            games = services.create_games(request.user, data, region=region, parent=parent, year=data.pop("year"),
                                          organization=organization, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("events:staff_games", pk=games.pk)
    elif request.method == "POST":
        _form_errors(request, form)
    return render(request, "events/staff/new.html", {"form": form, "region": request.POST.get("region", "")})


def _saved(request, change) -> bool:
    """Run a form page's change: say it was saved, or show the service's error and keep the form."""
    try:
        change()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, _("Saved."))
    return True


EDIT_INITIAL = ("name", "kind", "edition", "year", "organizer", "operator", "co_organizers", "contract", "funding",
                "association", "themed_day", "mode", "brand", "payment_provider", "brand_owner", "description")


@backoffice
def edit_page(request, pk: int):
    """Change a games' own fields, its parent and its organisation (the division stays)."""
    games = _games(request, pk, write=True)
    parents = [g for g in selectors.parent_games(request.user).select_related("region").order_by(
        "-year", "level", "name")[:300] if g.pk != games.pk]
    if games.parent and games.parent not in parents:
        parents.append(games.parent)  # keep the present one choosable
    organisations = list(scoping.scoped(request.user, Organization.objects.all(), True).order_by("name", "pk")[
        :selectors.CHOICES])
    if games.organization_id and games.organization_id not in {o.pk for o in organisations}:
        organisations.append(games.organization)
    initial = {f: getattr(games, f) for f in EDIT_INITIAL}
    initial.update(parent=games.parent_id, organization=games.organization_id, target_groups=games.group_list)
    form = GamesEditForm(request.POST or None, parents=parents, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parent = next((g for g in parents if g.pk == data.pop("parent")), None)  # the form took only these
        organization = next((o for o in organisations if o.pk == data.pop("organization")), None)
        year = data.pop("year")
        if _saved(request, lambda: services.update_games(request.user, games, data, parent=parent,
                                                         organization=organization, year=year, request=request)):
            return redirect("events:staff_games", pk=games.pk)
    elif request.method == "POST":
        _form_errors(request, form)
    return render(request, "events/staff/edit.html", {"form": form, "games": games})


@backoffice
def games_page(request, pk: int):
    games = _games(request, pk)
    competitions = list(games.competitions.select_related("site", "unit").order_by("starts_at", "pk"))
    writable = scoping.can_write_region(request.user, games.region_id)
    return render(request, "events/staff/games.html", {
        "games": games, "competitions": competitions, "rule": services.rule_check(games), "writable": writable,
        "missing": services.missing_checklist(games) + services.missing_plan(games), "safety": SafetyForm(initial=_safety_initial(games)),
        "competition_form": CompetitionForm(**_venues(games), initial={"capacity": 100, "residents_only": True, "measure": "time",
                                                     "entries": "open", "format": "individual", "sex": "any"}),
        "delegations": games.delegations.select_related("region"), "medals": services_results.medal_table(games),
        "figures": services_results.participation(games), "children": games.children.select_related("region"),
        "delegation_kinds": Delegation.Kind.choices, "officials": services_officials.officials(games),
        "organisations": selectors.organisations_in(games.region_id)[:selectors.CHOICES] if writable else [],
        "brands": services_brands.brands_for(request.user, games) if writable else []})


def _venues(games: Games) -> dict:
    sites, units = selectors.venues_in(games.region_id)
    return {"sites": sites, "units": units}


def _safety_initial(games: Games) -> dict:
    return {f: getattr(games, f) for f in SafetyForm.base_fields}


@backoffice
@require_POST
def safety_view(request, pk: int):
    games = _games(request, pk, write=True)
    form = SafetyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("events:staff_games", pk=pk)
    return act(request, "events:staff_games", pk,
                lambda: services.update_games(request.user, games, form.cleaned_data, request=request), _("Saved."))


@backoffice
def cancel_page(request, pk: int):
    """Confirm cancelling a games, with the reason its entrants are told."""
    games = _games(request, pk, write=True)
    if request.method == "POST" and games.status != Games.Status.CANCELLED:
        try:
            done = services.cancel_games(request.user, games, request.POST.get("reason", "")[:1000], request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Cancelled: %(withdrawn)s entries withdrawn, their fees refunded, "
                                        "the entrants told.") % done)
            return redirect("events:staff_games", pk=games.pk)
    return render(request, "events/staff/cancel.html", {"games": games, "preview": services.cancel_preview(games),
                                                        "reason": request.POST.get("reason", "")[:200]})


@backoffice
@require_POST
def publish_view(request, pk: int):
    games = _games(request, pk, write=True)
    return act(request, "events:staff_games", pk, lambda: services.publish(request.user, games, request=request),
                _("Published."))


@backoffice
@require_POST
def add_competition_view(request, pk: int):
    games = _games(request, pk, write=True)
    form = CompetitionForm(request.POST, **_venues(games))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("events:staff_games", pk=pk)
    data = dict(form.cleaned_data)
    site, unit = data.pop("site"), data.pop("unit")
    return act(request, "events:staff_games", pk, lambda: services.add_competition(
        request.user, games, data, site_id=site, unit_id=unit, request=request), _("Competition added."))


@backoffice
@require_POST
def add_delegation_view(request, pk: int):
    games = _games(request, pk, write=True)
    region = Region.objects.filter(code=request.POST.get("region", "")).first()
    org = request.POST.get("organization", "")
    organization = selectors.organisations_in(games.region_id).filter(pk=int(org)).first() if org.isdigit() and len(
        org) < 16 else None

    def add():
        if region is None:
            raise fail("not_found")
        return services.add_delegation(request.user, games, name=request.POST.get("name", ""),
                                       kind=request.POST.get("kind", ""), region=region, organization=organization,
                                       request=request)
    return act(request, "events:staff_games", pk, add, _("Delegation added."),
                denied=_("Give the delegation's name, kind and division."))


@backoffice
def export_view(request, pk: int):
    games = _games(request, pk)
    audit.record("export_entries", request=request, obj=games)
    return xlsx_response(f"entries-{games.pk}.xlsx", io.entry_sheets(games))


@backoffice
@require_POST
def awards_view(request, pk: int):
    games = _games(request, pk, write=True)
    return act(request, "events:staff_games", pk,
                lambda: services_results.issue_awards(request.user, games, request=request),
                lambda issued: _("Issued %(cards)s reward cards and %(certificates)s certificates.") % issued)


# -- officials: judges of the games or of a competition, delegation leaders -------------------------

@backoffice
@require_POST
def appoint_judge_view(request, pk: int):
    games = _games(request, pk, write=True)
    raw = request.POST.get("competition", "")
    competition = games.competitions.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 16 else None

    def appoint():
        if raw and competition is None:
            raise fail("not_found")
        return services_officials.appoint_judge(request.user, games, request.POST.get("phone", ""),
                                                competition=competition, request=request)
    return act(request, "events:staff_games", pk, appoint, _("Judge appointed."))


@backoffice
@require_POST
def dismiss_view(request, pk: int, membership: int):
    games = _games(request, pk, write=True)
    return act(request, "events:staff_games", pk,
                lambda: services_officials.dismiss(request.user, games, membership, request=request),
                _("Role taken away."))


@backoffice
@require_POST
def appoint_leader_view(request, pk: int):
    delegation = _delegation(request, pk)
    return act(request, "events:delegation", pk, lambda: services_officials.appoint_leader(
        request.user, delegation, request.POST.get("phone", ""), request=request), _("Leader appointed."))


@backoffice
@require_POST
def dismiss_leader_view(request, pk: int, membership: int):
    delegation = _delegation(request, pk)
    if not services_officials.may_appoint_leader(request.user, delegation):
        raise PermissionDenied

    def dismiss():
        found = services_officials.official_of(delegation.games, membership)
        if found.role != Role.DELEGATION_LEADER or found.target_id != delegation.pk:
            raise fail("not_found")
        return services_officials.dismiss(request.user, delegation.games, membership, request=request)
    return act(request, "events:delegation", pk, dismiss, _("Role taken away."))


# -- a competition: entries and results (judges of it, staff of the games' division) ----------------

def _competition(request, pk: int) -> Competition:
    competition = get_object_or_404(Competition.objects.select_related("games__region", "site"), pk=pk)
    if not (services_results.may_judge(request.user, competition)
            or scoping.can_read_region(request.user, competition.games.region_id)):
        raise Http404
    return competition


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


@backoffice
def competition_edit_page(request, pk: int):
    """Change a competition of a games the user writes: its places, times, venue and rules."""
    competition = scoping.get_scoped_or_404(request.user, Competition.objects.select_related("games__region"), True,
                                            pk=pk)
    games = competition.games
    initial = {f: getattr(competition, f) for f in services.COMPETITION_FIELDS}
    initial.update({f: _moment(getattr(competition, f)) for f in ("starts_at", "ends_at", "closes_at")})
    initial.update(site=competition.site_id, unit=competition.unit_id)
    form = CompetitionForm(request.POST or None, **_venues(games), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        venue = (data.pop("site"), data.pop("unit"))
        if _saved(request, lambda: services.update_competition(request.user, competition, data, venue=venue,
                                                               request=request)):
            return redirect("events:staff_competition", pk=competition.pk)
    elif request.method == "POST":
        _form_errors(request, form)
    return render(request, "events/staff/competition_edit.html", {"form": form, "competition": competition,
                                                                  "games": games})


@backoffice
def competition_page(request, pk: int):
    competition = _competition(request, pk)
    entries = competition.entry_set.select_related("user", "delegation").order_by("status", "pk")[:500]
    results = competition.results.select_related("entry__user").prefetch_related("corrections").order_by(
        "round", "heat", "rank", "pk")[:500]
    return render(request, "events/staff/competition.html", {
        "competition": competition, "games": competition.games, "entries": entries, "results": results,
        "writable": scoping.can_write_region(request.user, competition.games.region_id),
        "form": ResultForm(initial={"round": "final", "heat": 1, "status": "ok"}),
        "may_judge": services_results.may_judge(request.user, competition)})


@login_required
def evidence_view(request, pk: int):
    """A result's evidence file, for the entrant who sent it and whoever may see the competition."""
    result = get_object_or_404(Result.objects.select_related("entry"), pk=pk)
    if result.entry.user_id != request.user.pk:
        _competition(request, result.competition_id)
    return file_response(result.evidence, cache="private, no-store")


@backoffice
@require_POST
def result_view(request, pk: int):
    competition = _competition(request, pk)
    form = ResultForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("events:staff_competition", pk=pk)
    data = form.cleaned_data
    return act(request, "events:staff_competition", pk, lambda: services_results.record_result(
        request.user, competition, data["entry"], value=data["value"] or None, status=data["status"],
        round=data["round"], heat=data["heat"], reason=data["reason"], request=request), _("Result saved."))


@backoffice
@require_POST
def review_view(request, pk: int):
    result = get_object_or_404(Result.objects.select_related("competition__games"), pk=pk)
    competition = _competition(request, result.competition_id)
    return act(request, "events:staff_competition", competition.pk, lambda: services_results.review_result(
        request.user, result, accept=request.POST.get("accept") == "1", request=request))


@backoffice
def template_view(request, pk: int):
    competition = _competition(request, pk)
    return xlsx_response(f"results-{competition.pk}.xlsx", io.template_sheets(competition))


@backoffice
@require_POST
def import_view(request, pk: int):
    competition = _competition(request, pk)
    if not services_results.may_judge(request.user, competition):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return redirect("events:staff_competition", pk=pk)
    try:
        report = io.import_results(request.user, competition, upload, dry_run=request.POST.get("dry_run") == "1",
                                   request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("events:staff_competition", pk=pk)
    for error in report["errors"][:50]:
        messages.error(request, _("Line %(line)s: %(message)s") % error)
    if not report["errors"]:
        messages.success(request, _("%(valid)s rows are valid; %(recorded)s recorded.") % report)
    return redirect("events:staff_competition", pk=pk)


# -- a delegation: its leader approves entries and enters athletes ----------------------------------

def _delegation(request, pk: int) -> Delegation:
    delegation = get_object_or_404(Delegation.objects.select_related("games__region", "region"), pk=pk)
    if not (services_entries.leads(request.user, delegation.pk)
            or scoping.can_read_region(request.user, delegation.games.region_id)
            or scoping.can_read_region(request.user, delegation.region_id)):
        raise Http404
    return delegation


@backoffice
def delegation_page(request, pk: int):
    delegation = _delegation(request, pk)
    entries = delegation.entries.select_related("competition", "user").order_by("status", "competition_id", "pk")[:500]
    competitions = delegation.games.competitions.exclude(entries="open").order_by("starts_at")
    leaders = [o for o in services_officials.officials(delegation.games)
               if o["target_kind"] == "delegation" and o["target_id"] == delegation.pk]
    return render(request, "events/staff/delegation.html", {
        "delegation": delegation, "entries": entries, "competitions": competitions, "leaders": leaders,
        "may_appoint": services_officials.may_appoint_leader(request.user, delegation)})


@backoffice
@require_POST
def decide_view(request, pk: int):
    entry = get_object_or_404(Entry.objects.select_related("delegation__games"), pk=pk, delegation__isnull=False)
    delegation = _delegation(request, entry.delegation_id)
    if not services_entries.may_manage_delegation(request.user, delegation):
        raise PermissionDenied
    return act(request, "events:delegation", delegation.pk, lambda: services_entries.decide(
        request.user, entry, approve=request.POST.get("approve") == "1", request=request))


@backoffice
@require_POST
def enter_athlete_view(request, pk: int):
    delegation = _delegation(request, pk)
    if not services_entries.may_manage_delegation(request.user, delegation):
        raise PermissionDenied
    competition = request.POST.get("competition", "")

    def enter():
        athlete = services_entries.find_people([request.POST.get("phone", "")])[0]
        members = services_entries.find_people(request.POST.get("members", "").split()[:100])
        return services_entries.enter(request.user, int(competition) if competition.isdigit() else 0,
                                      delegation_id=delegation.pk, athlete=athlete, members=members,
                                      team_name=request.POST.get("team_name", ""), request=request)
    return act(request, "events:delegation", delegation.pk, enter, _("Entered."),
                denied=_("Only the delegation's leader may do this."))
