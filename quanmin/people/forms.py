"""Forms of the instructor pages: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.core.forms import DayField, MomentField

from .models import (
    DutyLog,
    Grade,
    Instructor,
    Post,
    Sport,
    Station,
    Supplier,
    Training,
    VolunteerActivity,
    VolunteerBrand,
)

SPORTS = forms.MultipleChoiceField(label=_("Sports"), choices=Sport.choices, required=False,
                                   widget=forms.CheckboxSelectMultiple)


class ApplyForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    region = forms.CharField(label=_("Home division code"), max_length=12,
                             help_text=_("The 12-digit code of the community or village where the person lives."))
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, initial=Grade.THIRD)
    kind = forms.ChoiceField(label=_("Type"), choices=Instructor.Kind.choices, initial=Instructor.Kind.INSTRUCTOR)
    sports = SPORTS
    association = forms.CharField(label=_("Organisation or association"), max_length=120, required=False)


class OwnApplyForm(forms.Form):
    region = forms.CharField(label=_("Home division code"), max_length=12,
                             help_text=_("The 12-digit code of the community or village where you live."))
    sports = SPORTS
    public_name = forms.ChoiceField(label=_("Name on the public card"), choices=Instructor.PublicName.choices,
                                    initial=Instructor.PublicName.SURNAME)


class OwnEditForm(forms.Form):
    sports = SPORTS
    public_name = forms.ChoiceField(label=_("Name on the public card"), choices=Instructor.PublicName.choices)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)


class ApproveForm(forms.Form):
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=40, required=False)
    approved_on = DayField(label=_("Approval date"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))


class PromoteForm(ApproveForm):
    grade = forms.ChoiceField(label=_("New grade"), choices=Grade.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[(s, Instructor.Status(s).label) for s in
                                                           ("active", "lapsed", "revoked")])
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RevealForm(forms.Form):
    purpose = forms.CharField(label=_("Why do you need the full numbers?"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    apply = forms.BooleanField(label=_("Apply the file (otherwise a dry run)"), required=False)


class RuleForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=100)
    min_services = forms.IntegerField(label=_("Confirmed services in the past year"), min_value=0, max_value=1000)
    min_years = forms.IntegerField(label=_("Years at the grade below"), min_value=0, max_value=50)
    min_training_hours = forms.IntegerField(label=_("Training hours"), min_value=0, max_value=1000)


class StationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Station.Kind.choices)
    region = forms.CharField(label=_("Division code"), max_length=12)
    site = forms.IntegerField(label=_("Site (system ID)"), required=False, min_value=1)
    sports = SPORTS
    times = forms.CharField(label=_("Regular times"), max_length=200, required=False)
    instructors = forms.CharField(label=_("Instructors on duty (system IDs, separated by commas)"), required=False,
                                  max_length=2000)
    organization = forms.IntegerField(
        label=_("Same station in the organisations' register (system ID)"), required=False, min_value=1,
        help_text=_("When the station is also registered as a fitness team or station, link the two: it counts once."))

    def clean_instructors(self):
        raw = self.cleaned_data["instructors"].replace("，", ",")
        try:
            return [int(x) for x in raw.split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(_("Write system IDs (numbers) separated by commas.")) from None


WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday")), (7, _("Public holidays"))]


class SessionForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int)
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000, initial=30)


class LogForm(forms.Form):
    station = forms.TypedChoiceField(label=pgettext_lazy("guidance station", "Station"), coerce=int, required=False, empty_value=None)
    site = forms.IntegerField(label=_("Or a site (system ID)"), required=False, min_value=1)
    started_at = MomentField(label=_("Started"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ended_at = MomentField(label=_("Ended"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    activity = forms.CharField(label=_("Activity"), max_length=120)
    sport = forms.ChoiceField(label=_("Sport"), choices=[("", "—"), *Sport.choices], required=False)
    setting = forms.ChoiceField(label=_("Setting"), choices=DutyLog.Setting.choices, required=False)
    people_guided = forms.IntegerField(label=_("People guided"), min_value=0, max_value=10000, initial=0)
    hours = forms.DecimalField(label=_("Hours"), required=False, min_value=0, max_value=100, decimal_places=1,
                               help_text=_("Leave empty: the time between start and end."))
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)

    def __init__(self, *args, stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", "—"), *[(s.pk, s.name) for s in stations]]


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Training.Kind.choices)
    grade = forms.ChoiceField(label=_("Grade trained for"), choices=Grade.choices)
    organiser = forms.CharField(label=_("Organiser"), max_length=120)
    region = forms.CharField(label=_("Division code"), max_length=12)
    site = forms.IntegerField(label=_("Venue (site system ID)"), required=False, min_value=1)
    starts_on = DayField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DayField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=1000, decimal_places=1)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000, initial=50)
    for_disabled = forms.BooleanField(label=_("For serving disabled people"), required=False,
                                      help_text=_("A course training instructors to serve disabled people."))


class EnrolForm(forms.Form):
    instructor = forms.IntegerField(label=_("Person (system ID)"), min_value=1)


class ResultForm(forms.Form):
    attended_hours = forms.DecimalField(label=_("Hours attended"), min_value=0, max_value=1000, decimal_places=1)
    passed = forms.TypedChoiceField(label=_("Result"), coerce=lambda v: {"1": True, "0": False}.get(v),
                                    choices=[("", _("Not yet known")), ("1", _("Passed")), ("0", _("Failed"))],
                                    required=False, empty_value=None)


class AskForm(forms.Form):
    sport = forms.ChoiceField(label=_("Sport"), choices=[("", "—"), *Sport.choices], required=False)
    message = forms.CharField(label=_("What would you like to learn?"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=300)


class PostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Post"), choices=Post.Kind.choices)
    instructor = forms.IntegerField(label=_("Instructor (system ID)"), required=False, min_value=1)
    person_name = forms.CharField(label=_("Name (for a committee member)"), max_length=50, required=False)
    region = forms.CharField(label=_("Division code"), max_length=12)
    appointed_on = DayField(label=_("Appointed on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DayField(label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SupplierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Supplier.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    unit = forms.CharField(label=_("Unit"), max_length=120, required=False)
    region = forms.CharField(label=_("Division code"), max_length=12)
    sports = SPORTS
    specialty = forms.CharField(label=_("What they offer"), max_length=200, required=False)
    serves_disabled = forms.BooleanField(label=_("Serves disabled people"), required=False)


class ContestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    region = forms.CharField(label=_("Division code"), max_length=12)
    held_on = DayField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    sport = forms.ChoiceField(label=_("Sport"), choices=[("", "—"), *Sport.choices], required=False)


class ContestResultForm(forms.Form):
    instructor = forms.IntegerField(label=_("Instructor (system ID)"), min_value=1)
    rank = forms.IntegerField(label=_("Place"), required=False, min_value=1, max_value=10000)
    award = forms.CharField(label=_("Award"), max_length=60, required=False)


class BrandForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=VolunteerBrand.Kind.choices)
    region = forms.CharField(label=_("Division code"), max_length=12)
    organiser = forms.CharField(label=_("Organiser"), max_length=120)
    founded_on = DayField(label=_("Founded on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class VolunteerActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=VolunteerActivity.Purpose.choices)
    mode = forms.ChoiceField(label=_("Where"), choices=VolunteerActivity.Mode.choices)
    brand = forms.IntegerField(label=_("Brand or alliance (system ID)"), required=False, min_value=1)
    region = forms.CharField(label=_("Division code"), max_length=12)
    organiser = forms.CharField(label=_("Organiser"), max_length=120)
    site = forms.IntegerField(label=_("Site (system ID)"), required=False, min_value=1)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    link = forms.CharField(label=_("Online link"), max_length=300, required=False)
    starts_at = MomentField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = MomentField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    places = forms.IntegerField(label=_("Volunteers wanted"), min_value=1, max_value=10000, initial=20)
    description = forms.CharField(label=_("Description"), max_length=500, required=False, widget=forms.Textarea)


class AddVolunteerForm(forms.Form):
    volunteer = forms.IntegerField(label=_("Person (system ID)"), min_value=1)


class ServedForm(forms.Form):
    served = forms.TypedChoiceField(label=_("Came"), choices=[("1", _("Served")), ("0", _("Did not come"))],
                                    coerce=lambda v: v == "1")
    hours = forms.DecimalField(label=_("Hours"), required=False, min_value=0, max_value=100, decimal_places=1)
