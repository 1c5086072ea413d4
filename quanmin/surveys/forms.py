from django import forms
from django.utils.translation import gettext_lazy as _

from quanmin.core.forms import DayField

from .models import AGE_BAND_CHOICES, Question, Sex, Survey


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Survey.Kind.choices)
    region = forms.CharField(label=_("Division code"), max_length=12,
                             help_text=_("The city, county or township whose residents are asked."))
    opens_on = DayField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = DayField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    weighting = forms.ChoiceField(label=_("Weighting"), choices=Survey.Weighting.choices,
                                  help_text=_("A county's or a township's survey is weighted by its townships."))
    sample_target = forms.IntegerField(label=_("Planned sample size"), min_value=0, max_value=1_000_000,
                                       required=False)
    min_age = forms.IntegerField(label=_("Youngest respondent's age"), min_value=6, max_value=100, required=False,
                                 help_text=_("By default 7 for the regular-exerciser survey, 16 for satisfaction."))
    introduction = forms.CharField(label=_("Introduction for respondents"), max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    choices = forms.CharField(label=_("Choices, one a line"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


class QuotaForm(forms.Form):
    region = forms.CharField(label=_("Division code"), max_length=12)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Either")), *list(Sex.choices)], required=False)
    age_band = forms.ChoiceField(label=_("Age band"), choices=[("", _("Any age")), *AGE_BAND_CHOICES],
                                 required=False)
    target = forms.IntegerField(label=_("Answers wanted"), min_value=1, max_value=1_000_000)
