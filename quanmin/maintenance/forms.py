"""Forms of the work-order pages: they parse and check shapes; the rules live in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from quanmin.core import photos
from quanmin.core.api import MAX_ID
from quanmin.regions import codes

from .models import WorkOrder, WorkOrderPhoto

PHOTOS_PER_UPLOAD = 6
ACCEPT = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.ImageField):
    """Several photos at once (a phone's gallery); each checked by Pillow and for size before the
    service reads it whole."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > PHOTOS_PER_UPLOAD:
            raise ValidationError(_("At most %(n)s photos at a time.") % {"n": PHOTOS_PER_UPLOAD}, code="too_many")
        for f in files:
            if getattr(f, "size", 0) > photos.MAX_BYTES:
                raise ValidationError(_("The photo is too large: at most %(mb)s MB.")
                                      % {"mb": photos.MAX_BYTES // (1024 * 1024)}, code="too_large")
        return [super(PhotosField, self).clean(f, initial) for f in files]


class WorkOrderForm(forms.Form):
    tag = forms.CharField(label=_("equipment tag"), max_length=16, required=False,
                          help_text=_("The code on the piece's QR tag. Leave empty for work on a whole facility."))
    facility = forms.IntegerField(label=_("facility"), required=False, min_value=1, max_value=MAX_ID,
                                  help_text=_("Without a tag: the facility (fitness path, square) the work is for."))
    kind = forms.ChoiceField(label=_("kind"), choices=WorkOrder.Kind.choices, initial=WorkOrder.Kind.REPAIR)
    severity = forms.ChoiceField(label=_("severity"), choices=WorkOrder.Severity.choices,
                                 initial=WorkOrder.Severity.NORMAL)
    description = forms.CharField(label=_("description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    unit = forms.TypedChoiceField(label=_("maintenance unit"), required=False, coerce=int, empty_value=None,
                                  help_text=_("Assign it at once, or leave it open and assign it later."))
    photos = PhotosField(label=_("photos of the problem"))

    def __init__(self, *args, facilities=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            # A short list in scope: pick from it; a long one: type the facility's number.
            self.fields["facility"] = forms.TypedChoiceField(
                label=_("facility"), required=False, coerce=int, empty_value=None,
                choices=[("", "—"), *[(f.pk, f"{f.site.name} · {f}") for f in facilities]],
                help_text=self.fields["facility"].help_text)
            self.order_fields(["tag", "facility", "kind", "severity", "description", "unit", "photos"])
        self.fields["unit"].choices = [("", _("Not yet")), *[(u.pk, str(u)) for u in (units or [])]]

    def clean(self):
        data = super().clean()
        if not data.get("tag") and not data.get("facility") and not self.errors:
            raise ValidationError(_("Give the equipment tag or choose a facility."))
        return data


class EmptyForm(forms.Form):
    """An action that needs nothing but the button (start)."""


class AssignForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("maintenance unit"), coerce=int)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, f"{u} · {u.region}") for u in units]


class CompleteForm(forms.Form):
    resolution = forms.CharField(label=_("what was done"), max_length=4000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("A text, or at least one photo of the finished work."))
    photos = PhotosField(label=_("photos of the finished work"))


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=[("accept", _("Accept the work")),
                                                                ("refuse", _("Refuse: the work is not right"))],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("note"), max_length=300, required=False,
                           help_text=_("Needed when refusing: say what is wrong."))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=200)


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("stage"), choices=WorkOrderPhoto.Stage.choices)
    photos = PhotosField(label=_("photos"), required=True)


class UnitForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    region = forms.ChoiceField(label=_("division served"),
                               help_text=_("The unit serves this division and every division under it."))
    contact = forms.CharField(label=_("contact person"), max_length=60, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, f"{'　' * _depth(r)}{r.name}") for r in regions]


def _depth(region) -> int:
    return codes.LEVELS.index(region.level) if region.level in codes.LEVELS else 0


class UnitStaffForm(forms.Form):
    phone = forms.CharField(label=_("mobile number"), max_length=20,
                            help_text=_("The person must have an account with this number."))


class ReplacementForm(forms.Form):
    """The pieces come as a list of ids (checkboxes), checked against the scope by the view."""

    unit = forms.TypedChoiceField(label=_("maintenance unit"), required=False, coerce=int, empty_value=None)
    severity = forms.ChoiceField(label=_("severity"), choices=WorkOrder.Severity.choices,
                                 initial=WorkOrder.Severity.LOW)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Not yet")), *[(u.pk, f"{u} · {u.region}") for u in units]]


class ReportWorkOrderForm(forms.Form):
    """Send a resident's report for repair (on the report's staff page)."""

    severity = forms.ChoiceField(label=_("Severity"), choices=WorkOrder.Severity.choices,
                                 initial=WorkOrder.Severity.NORMAL)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkOrder.Kind.choices)
    unit = forms.TypedChoiceField(label=_("Maintenance unit"), coerce=int, required=False, empty_value=None, choices=[])
    description = forms.CharField(label=_("What to do"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("The unit serving the division"))] + [(u.pk, u.name) for u in units]
