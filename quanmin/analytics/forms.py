from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CandidateSite


class CandidateForm(forms.ModelForm):
    region_code = forms.CharField(label=_("Division code"), max_length=12)

    class Meta:
        model = CandidateSite
        fields = ["name", "address", "lon", "lat", "area_m2", "owner", "land_kind", "status", "published", "note"]
