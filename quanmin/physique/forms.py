"""Forms of the physique pages. Measurement fields are built from the standard's data: the tablet
and the calculator show exactly the items a person's group is tested on."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quanmin.core.forms import MomentField

from . import prescriptions, tables
from .models import NetworkLevel

STANDARD_NAMES = {"physique-2003": _("National physique standard (2003), ages 3–6 and 20–69"),
                  "student-2014": _("Student physical health standard (2014), primary to university")}
STANDARD_LABELS = {"physique-2003": _("National physique standard"), "student-2014": _("Student standard")}


def standard_choices() -> list[tuple[str, str]]:
    """Every standard shipped as a data file (a new version is one more file): its translated name where
    the page has one, else the title its data file gives (e.g. 国民体质测定标准（2023年修订）)."""
    return [(name, STANDARD_NAMES.get(name) or tables.load_standard(name).title)
            for name in tables.available_standards()]


def standard_labels() -> dict[str, str]:
    """Short names for charts: translated where the page has one, else the data file's title."""
    return {name: str(STANDARD_LABELS.get(name) or tables.load_standard(name).title)
            for name in tables.available_standards()}
SEX_CHOICES = [("male", _("Male")), ("female", _("Female"))]
GRADE_LABELS = {
    "primary": _("Primary %(n)s"), "junior": _("Junior secondary %(n)s"), "senior": _("Senior secondary %(n)s"),
    "university": _("University %(n)s"),
}
RATING_LABELS = {"excellent": _("Excellent"), "good": _("Good"), "pass": _("Pass"), "fail": _("Fail")}

# Measurement keys (inputs) and items (what is scored), with units, in the user's language.
MEASUREMENT_LABELS = {
    "height_cm": _("Height (cm)"), "weight_kg": _("Weight (kg)"), "vital_capacity_ml": _("Vital capacity (ml)"),
    "sprint_50m_s": _("50 m sprint (s)"), "sit_and_reach_cm": _("Sit and reach (cm)"),
    "rope_skipping_1min": _("Rope skipping, 1 minute (count)"), "situps_1min": _("Sit-ups, 1 minute (count)"),
    "shuttle_50x8_s": _("50 m × 8 shuttle run (s)"), "standing_long_jump_cm": _("Standing long jump (cm)"),
    "pullups": _("Pull-ups (count)"), "run_1000m_s": _("1000 m run (s)"), "run_800m_s": _("800 m run (s)"),
    "grip_kg": _("Grip strength (kg)"), "pushups": _("Push-ups (count)"), "vertical_jump_cm": _("Vertical jump (cm)"),
    "step_index": _("Step test index"), "reaction_time_s": _("Choice reaction time (s)"),
    "one_leg_stand_eyes_closed_s": _("One-leg stand, eyes closed (s)"), "shuttle_10m_s": _("10 m shuttle run (s)"),
    "tennis_ball_throw_m": _("Tennis ball throw (m)"), "double_leg_jump_s": _("Two-foot continuous jump (s)"),
    "balance_beam_s": _("Balance beam walk (s)"),
}
ITEM_LABELS = {
    **MEASUREMENT_LABELS,
    "bmi": _("Body mass index (BMI)"), "height_for_weight": _("Weight for height"), "height_cm": _("Height"),
}
BAND_LABELS = {
    "normal": _("normal"), "low": _("low"), "very_low": _("very low"), "high": _("high"), "very_high": _("very high"),
    "underweight": _("underweight"), "overweight": _("overweight"), "obese": _("obese"),
}
RUN_HELP = _("Seconds, or minutes and seconds such as 3'55\" or 3:55.")


def grade_choices():
    out = [("", "—")]
    for g in tables.load_standard("student-2014").grades:
        stage, n = g.split("-")
        out.append((g, GRADE_LABELS[stage] % {"n": n}))
    return out


def input_keys(items) -> list[str]:
    keys = []
    for item in items or ():
        for k in item.inputs:
            if k not in keys:
                keys.append(k)
    return keys


def measurement_fields(items) -> dict[str, forms.Field]:
    """A text field per input (run times may be typed as 3'55"); the engine validates the values."""
    out = {}
    for key in input_keys(items):
        out[f"m_{key}"] = forms.CharField(
            label=MEASUREMENT_LABELS.get(key, key), required=False, max_length=20,
            help_text=RUN_HELP if key.startswith("run_") or key.startswith("shuttle_50") else "",
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    return out


def measurements_from(data, items) -> dict[str, str]:
    return {k: data.get(f"m_{k}", "").strip() for k in input_keys(items) if data.get(f"m_{k}", "").strip()}


class GroupForm(forms.Form):
    """Standard, sex and grade or age: which tables apply."""

    standard = forms.ChoiceField(label=_("Standard"), choices=standard_choices)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *SEX_CHOICES], required=False)
    grade = forms.ChoiceField(label=_("Grade (students)"), choices=grade_choices, required=False)
    age = forms.DecimalField(label=_("Age (years)"), required=False, min_value=0, max_value=120, decimal_places=1,
                             help_text=_("Children 3–6 in half years, e.g. 4.5."),
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


class CalculatorForm(GroupForm):
    def __init__(self, data=None, items=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["sex"].required = True
        self.fields.update(measurement_fields(items))


class EntryForm(GroupForm):
    """The tablet form: who is tested (by ID number), consent, the group, then the items."""

    id_number = forms.CharField(label=_("ID number"), max_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    real_name = forms.CharField(label=_("Real name"), max_length=50, required=False,
                                help_text=_("Needed when the person is tested here for the first time."))
    consent = forms.BooleanField(
        label=_("The person (or their guardian) has read the health data notice and consents"), required=False,
        help_text=_("Needed once before the first test; a registered resident may have given it online."))
    guardian_name = forms.CharField(label=_("Guardian's name (under 14)"), max_length=50, required=False)

    field_order = ["id_number", "real_name", "consent", "guardian_name", "standard", "grade", "sex", "age"]

    def __init__(self, data=None, items=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["sex"].help_text = _("Read from the ID number when left empty.")
        self.fields["age"].help_text = _("Worked out from the ID number and the test date when left empty.")
        self.fields.update(measurement_fields(items))


class StationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    region_code = forms.CharField(label=_("Division code"), max_length=12,
                                  help_text=_("The 12-digit code of the division that runs the station."))
    site_id = forms.IntegerField(label=_("Site number"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                 help_text=_("The register's number of the site where tests take place (to take bookings)."))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    level = forms.ChoiceField(label=_("Network level"), required=False,
                              choices=[("", _("The division's level")), *NetworkLevel.choices])


class SessionForm(forms.Form):
    starts_at = MomentField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                        format="%Y-%m-%dT%H:%M"))
    ends_at = MomentField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                    format="%Y-%m-%dT%H:%M"))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000, initial=30,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    standard = forms.ChoiceField(label=_("Standard"), choices=standard_choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    open_booking = forms.BooleanField(label=_("Residents may book places online"), required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Device export (.xlsx or .csv)"))
    standard = forms.ChoiceField(label=_("Standard"), choices=standard_choices)


YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class ParqForm(forms.Form):
    """The seven PAR-Q+ general health questions, answered before a prescription."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i, question in enumerate(prescriptions.PARQ_QUESTIONS):
            self.fields[f"q{i + 1}"] = forms.ChoiceField(label=question, choices=YES_NO, widget=forms.RadioSelect)

    def answers(self) -> list[bool]:
        return [self.cleaned_data[f"q{i + 1}"] == "yes" for i in range(len(prescriptions.PARQ_QUESTIONS))]


class ConsentForm(forms.Form):
    agree = forms.BooleanField(label=_("I have read the health data notice and consent to the processing of my physique test data"))
    guardian_name = forms.CharField(label=_("Guardian's name (under 14)"), max_length=50, required=False)
    guardian_relation = forms.CharField(label=_("Relation to the child"), max_length=20, required=False)
