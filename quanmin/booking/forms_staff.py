"""Forms of the venue console: they parse and check shapes; the rules live in services."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.core.forms import DayField, MomentField
from quanmin.facilities.models import Facility, OpeningRule

from . import payments
from .models import BookableUnit

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PROVIDER_LABELS = {"free": _("Free"), "on_site": _("Pay on site"), "simulated": _("Online (simulated)")}


def provider_choices():
    return [(code, PROVIDER_LABELS.get(code, code)) for code in payments.PROVIDERS]


class UnitForm(forms.ModelForm):
    payment_provider = forms.ChoiceField(label=_("payment"), choices=provider_choices)

    class Meta:
        model = BookableUnit
        fields = ["name", "kind", "active", "window_days", "hold_minutes", "cancel_hours", "max_open_per_user",
                  "max_per_day", "max_companions", "min_age", "guardian_under", "free_for_seniors", "free_for_disabled",
                  "student_discount_pct", "minor_discount_pct", "payment_provider"]


class NewUnitForm(UnitForm):
    facility = forms.ModelChoiceField(label=_("facility"), queryset=Facility.objects.none())

    field_order = ["facility", *UnitForm.Meta.fields]

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.filter(site=site).order_by("id")
        self.fields["facility"].label_from_instance = lambda f: f"{f} · {f.get_access_display()}"


class EditUnitForm(UnitForm):
    class Meta(UnitForm.Meta):
        fields = [f for f in UnitForm.Meta.fields if f != "kind"]


class TemplateForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("day"), choices=OpeningRule.WEEKDAYS, coerce=int)
    start = forms.TimeField(label=_("starts"), widget=TIME)
    end = forms.TimeField(label=_("ends"), widget=TIME)
    capacity = forms.IntegerField(label=_("places"), min_value=1, max_value=10000, initial=1,
                                  help_text=_("Time slots always take one party."))
    price = forms.DecimalField(label=_("price (yuan)"), min_value=0, max_digits=8, decimal_places=2, initial=0)
    benefit = forms.BooleanField(label=_("free or low-fee hours"), required=False)


class AddTemplateForm(TemplateForm):
    """The same time on several days at once (every weekday evening, the whole weekend)."""

    weekday = None
    weekdays = forms.TypedMultipleChoiceField(label=_("days"), choices=OpeningRule.WEEKDAYS, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)
    field_order = ["weekdays", "start", "end", "capacity", "price", "benefit"]


class RangeForm(forms.Form):
    start = MomentField(label=_("from"), widget=DATETIME)
    end = MomentField(label=_("until"), widget=DATETIME)
    reason = forms.CharField(label=_("reason"), max_length=120, required=False)


class BlockBookingForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("day"), choices=OpeningRule.WEEKDAYS[:7], coerce=int)
    start = forms.TypedChoiceField(label=_("time"), coerce=lambda v: datetime.time.fromisoformat(v))
    first_day = DayField(label=_("first day"), widget=DATE)
    last_day = DayField(label=_("last day"), widget=DATE)
    label = forms.CharField(label=_("booked for"), max_length=120,
                            help_text=_("The club or school, and a contact."))

    def __init__(self, *args, starts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = [(t.strftime("%H:%M"), t.strftime("%H:%M")) for t in starts]

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and (last < first or (last - first).days > 366):
            self.add_error("last_day", _("The last day is after the first, within a year."))
        return data


class WalkInForm(forms.Form):
    places = forms.IntegerField(label=_("people"), min_value=1, max_value=500, initial=1)
    name = forms.CharField(label=_("name or note"), max_length=120, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("check-in code"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "inputmode": "text", "spellcheck": "false"}))

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class VisitCountForm(forms.Form):
    date = DayField(label=_("date"), required=False, widget=forms.HiddenInput)
    hour = forms.TypedChoiceField(label=_("hour"), coerce=int, choices=[(h, f"{h:02d}:00–{h + 1:02d}:00") for h in range(24)])
    count_in = forms.IntegerField(label=_("came in"), min_value=0, max_value=100000, initial=0)
    count_out = forms.IntegerField(label=_("went out"), min_value=0, max_value=100000, initial=0)


class VerifyForm(forms.Form):
    valid_until = DayField(label=_("valid until"), widget=DATE)


def parse_day(value: str | None, default: datetime.date | None = None) -> datetime.date:
    """A page's `date` query, or the default (today) when it is missing, unreadable or out of the years."""
    try:
        return DayField().clean(value) or default or timezone.localdate()
    except forms.ValidationError:
        return default or timezone.localdate()
