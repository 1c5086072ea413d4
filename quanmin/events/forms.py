"""Staff forms: they parse and type the input; the services check the rules and write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.core.forms import MomentField

from .models import Competition, Games, Sport, TargetGroup, ThemedDay


class GamesForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    kind = forms.ChoiceField(label=_("kind"), choices=Games.Kind.choices)
    edition = forms.IntegerField(label=_("edition"), min_value=1, max_value=999, required=False)
    region = forms.CharField(label=_("division"), max_length=12, widget=forms.HiddenInput)  # the division picker
    parent = forms.TypedChoiceField(label=_("part of"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    organizer = forms.CharField(label=_("organiser"), max_length=200)
    operator = forms.CharField(label=_("operator"), max_length=200, required=False)
    co_organizers = forms.CharField(label=_("co-organisers"), max_length=400, required=False)
    contract = forms.CharField(label=_("government-purchase contract"), max_length=200, required=False)
    funding = forms.DecimalField(label=_("funding (yuan)"), min_value=0, max_value=9_999_999_999, decimal_places=2,
                                 required=False)
    association = forms.CharField(label=_("association"), max_length=120, required=False)
    organization = forms.TypedChoiceField(label=_("organising organisation"), required=False, coerce=int,
                                          empty_value=None)
    themed_day = forms.ChoiceField(label=_("themed day"), choices=ThemedDay.choices, required=False)
    target_groups = forms.MultipleChoiceField(label=_("target groups"), choices=TargetGroup.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label=_("held"), choices=Games.Mode.choices)
    brand = forms.BooleanField(label=_("brand event"), required=False)
    payment_provider = forms.ChoiceField(label=_("entry fees paid"), required=False,
                                         choices=Games._meta.get_field("payment_provider").choices)
    brand_owner = forms.CharField(label=_("brand owner"), max_length=120, required=False)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=5000)

    def __init__(self, *args, parents=(), organisations=(), **kwargs):
        """`parents`: the games the new one may be part of (selectors.parent_games); `organisations`:
        those that may organise it; both shown by name."""
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— none —"))] + [
            (g.pk, f"{g.name} · {g.region.name} · {g.year}") for g in parents]
        self.fields["organization"].choices = [("", _("— none —"))] + [(o.pk, o.name) for o in organisations]

    def clean_payment_provider(self):
        return self.cleaned_data.get("payment_provider") or "on_site"


class GamesEditForm(GamesForm):
    """The new games' fields without the division (it sets the level: make a new games to move one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["region"]


class SafetyForm(forms.Form):
    risk = forms.ChoiceField(label=_("risk grade"), choices=Games.Risk.choices)
    venue_capacity_checked = forms.BooleanField(label=_("venue capacity checked"), required=False)
    medical_cover = forms.BooleanField(label=_("medical cover arranged"), required=False)
    insurance = forms.BooleanField(label=_("insurance bought"), required=False)
    emergency_plan = forms.BooleanField(label=_("emergency plan made"), required=False)
    organizer_responsible = forms.CharField(label=_("responsible for the organiser"), max_length=60, required=False)
    operator_responsible = forms.CharField(label=_("responsible for the operator"), max_length=60, required=False)
    authority_responsible = forms.CharField(label=_("responsible at the sports authority"), max_length=60,
                                            required=False)
    expected_attendance = forms.IntegerField(label=_("expected attendance"), min_value=0, max_value=1_000_000,
                                             required=False)
    safety_plan = forms.CharField(label=_("safety work plan"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    health_measures = forms.CharField(label=_("health and epidemic measures"), max_length=5000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))


class CompetitionForm(forms.Form):
    sport = forms.ChoiceField(label=_("sport"), choices=Sport.choices)
    name = forms.CharField(label=_("name"), max_length=120)
    format = forms.ChoiceField(label=_("format"), choices=Competition.Format.choices)
    sex = forms.ChoiceField(label=_("sex group"), choices=Competition.Sex.choices)
    min_age = forms.IntegerField(label=_("minimum age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("maximum age"), min_value=0, max_value=120, required=False)
    team_min = forms.IntegerField(label=_("team members at least"), min_value=1, max_value=100, required=False)
    team_max = forms.IntegerField(label=_("team members at most"), min_value=1, max_value=100, required=False)
    capacity = forms.IntegerField(label=_("places"), min_value=1, max_value=1_000_000)
    delegation_quota = forms.IntegerField(label=_("places per delegation"), min_value=1, max_value=10000,
                                          required=False)
    entries = forms.ChoiceField(label=_("who enters"), choices=Competition.Entries.choices)
    fee = forms.DecimalField(label=_("entry fee (yuan)"), min_value=0, max_value=99999, decimal_places=2,
                             required=False)
    residents_only = forms.BooleanField(label=_("residents of the division only"), required=False)
    measure = forms.ChoiceField(label=_("result"), choices=Competition.Measure.choices)
    stage = forms.ChoiceField(label=_("school stage"), choices=Competition.Stage.choices, required=False)
    starts_at = MomentField(label=_("starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = MomentField(label=_("ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = MomentField(label=_("entries close"), required=False,
                            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    site = forms.TypedChoiceField(label=_("venue"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("court or space (its slots are blocked)"), required=False, coerce=int,
                                  empty_value=None)
    rules = forms.CharField(label=_("rules"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000)

    def __init__(self, *args, sites=(), units=(), **kwargs):
        """The venues of the games' division (selectors.venues_in), shown by name."""
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", _("— none —"))] + [(s.pk, s.name) for s in sites]
        self.fields["unit"].choices = [("", _("— none —"))] + [(u.pk, f"{u.site.name} · {u.name}") for u in units]


class ResultForm(forms.Form):
    entry = forms.CharField(label=_("bib"), max_length=12)
    round = forms.ChoiceField(label=_("round"), choices=[("final", _("Final")), ("semi", _("Semi-final")),
                                                        ("heat", _("Heat"))])
    heat = forms.IntegerField(label=_("heat"), min_value=1, max_value=999, initial=1)
    value = forms.CharField(label=_("result"), max_length=20, required=False)
    status = forms.ChoiceField(label=_("status"), choices=[("ok", pgettext_lazy("result status", "Finished")), ("dns", _("Did not start")),
                                                          ("dnf", _("Did not finish")), ("dq", _("Disqualified"))])
    reason = forms.CharField(label=_("reason for a correction"), max_length=200, required=False)


class BrandForm(forms.Form):
    """A brand: its holder (a division from the picker, or an association), name, sport, first year."""

    region = forms.CharField(label=_("division"), max_length=12, required=False, widget=forms.HiddenInput)
    organization = forms.TypedChoiceField(label=_("association"), required=False, coerce=int, empty_value=None,
                                          help_text=_("Leave empty when the division holds the brand."))
    name = forms.CharField(label=_("name"), max_length=120)
    sport = forms.ChoiceField(label=_("sport"), required=False, choices=[("", "—"), *Sport.choices])
    since = forms.IntegerField(label=_("held since"), min_value=1949, max_value=2100)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=2000)

    def __init__(self, *args, associations=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # a brand keeps its holder
            del self.fields["region"], self.fields["organization"]
        else:
            self.fields["organization"].choices = [("", _("— none —"))] + [
                (o.pk, f"{o.name} · {o.region.name}") for o in associations]

    def clean(self):
        data = super().clean()
        if "region" in self.fields and not data.get("region") and not data.get("organization"):
            self.add_error(None, _("Choose the division or the association that holds the brand."))
        return data
