"""Forms of the report pages: they parse and show errors; the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.core.api import MAX_ID

from .models import Report
from .services import ANSWER_MAX, DESCRIPTION_MAX


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is wrong?"), choices=Report.Category.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=_("Describe the problem"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    phone = forms.CharField(label=_("Your mobile number"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    # A point picked on the map (in the map's datum; the view converts it) or a site marker.
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    site = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    # One per page shown: a second tap on Send (or a resend after a timeout) answers the first report.
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(AnswerForm):
    public = forms.BooleanField(label=_("The resident may read it"), required=False, initial=True)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Your rating"), coerce=int,
                                    choices=[(n, str(n)) for n in range(5, 0, -1)], widget=forms.RadioSelect)
    comment = forms.CharField(label=pgettext_lazy("rating", "Comment"), max_length=300, required=False)


class SettingsForm(forms.Form):
    hotline = forms.CharField(label=_("Hotline"), max_length=30)
    response_working_days = forms.IntegerField(label=_("Respond within (working days)"), min_value=1, max_value=30)
    resolution_working_days = forms.IntegerField(label=_("Resolve within (working days)"), min_value=1, max_value=90)
