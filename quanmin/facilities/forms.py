from django import forms
from django.utils.translation import gettext_lazy as _

from . import types
from .models import Facility, OpeningRule, Site


class SiteForm(forms.ModelForm):
    region_code = forms.CharField(label=_("Division code"), max_length=12,
                                  help_text=_("12-digit statistics code of the community or township."))

    class Meta:
        model = Site
        fields = ["name", "address", "lon", "lat", "owner_kind", "manager", "contact_phone", "status",
                  "accessible_entrance", "accessible_toilet", "accessible_parking", "school_rules", "description"]
        widgets = {"school_rules": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 3})}


class FacilityForm(forms.ModelForm):
    type = forms.ChoiceField(label=_("Type"), choices=())

    class Meta:
        model = Facility
        fields = ["type", "name", "area_m2", "length_km", "indoor", "lit", "smart", "year_built",
                  "year_refurbished", "access", "external_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = types.choices()


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OpeningRule.Kind.choices)
    weekday = forms.TypedChoiceField(label=_("Day"), choices=OpeningRule.WEEKDAYS, coerce=int)
    opens = forms.TimeField(label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}))
    price_note = forms.CharField(label=_("Price"), required=False, max_length=60)


RuleFormSet = forms.formset_factory(RuleForm, extra=2, can_delete=True)


class CloseForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[(Site.Status.REPAIR, Site.Status.REPAIR.label),
                                                               (Site.Status.CLOSED, Site.Status.CLOSED.label)])
    reason = forms.CharField(label=_("Reason"), max_length=200)
