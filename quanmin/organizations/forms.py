from django import forms
from django.utils.translation import gettext_lazy as _

from quanmin.core.forms import DayField

from . import sports
from .models import Grading, Organization


class OrganizationForm(forms.ModelForm):
    """The page's form; services.clean is the judge, this only shapes the input."""

    region_code = forms.CharField(label=_("Division code"), max_length=12,
                                  help_text=_("12-digit statistics code of the division the organisation belongs to."))
    sport_list = forms.MultipleChoiceField(label=_("Sports"), required=False, choices=(),
                                           widget=forms.CheckboxSelectMultiple)
    officer_text = forms.CharField(label=_("Officers"), required=False, max_length=600,
                                   help_text=_("Post:name, separated by semicolons (会长:张三；秘书长:李四)."))
    site_id = forms.IntegerField(label=_("Site system ID"), required=False, min_value=1)
    parent_id = forms.IntegerField(label=_("Federation system ID"), required=False, min_value=1)

    class Meta:
        model = Organization
        fields = ["name", "kind", "sector", "status", "credit_code", "address", "lon", "lat", "founded_on",
                  "contact_name", "contact_phone", "party_branch", "decoupled", "governance", "independent",
                  "instructor_association", "join_policy", "member_cap", "meets", "schedule", "description"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"founded_on": DayField}

    def __init__(self, *args, legal: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sport_list"].choices = sports.choices()
        for name in ("credit_code", "lon", "lat"):
            self.fields[name].required = False
        if not legal:  # an organisation's own staff: the legal particulars are the division's
            for name in ("name", "kind", "status", "credit_code", "region_code", "parent_id", "instructor_association"):
                self.fields.pop(name)

    def _post_clean(self):
        pass  # the service checks the whole; the model's own validation would run the unique checks twice

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        if "region_code" in self.cleaned_data:
            data["region"] = self.cleaned_data["region_code"]
        if "parent_id" in self.cleaned_data:
            data["parent"] = self.cleaned_data["parent_id"]
        data["site"] = self.cleaned_data.get("site_id")
        data["sports"] = self.cleaned_data.get("sport_list") or []
        data["officers"] = self.cleaned_data.get("officer_text") or ""
        return data


class GradingForm(forms.ModelForm):
    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int, choices=[(n, f"{n}A") for n in range(1, 6)])

    class Meta:
        model = Grading
        fields = ["grade", "assessed_on", "valid_until", "assessor", "note"]
        widgets = {"assessed_on": forms.DateInput(attrs={"type": "date"}),
                   "valid_until": forms.DateInput(attrs={"type": "date"})}
        field_classes = {"assessed_on": DayField, "valid_until": DayField}

    def _post_clean(self):
        pass
