from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "username", "inputmode": "tel"}))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class RegisterForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18,
                                help_text=_("Used to confirm who you are; stored encrypted and never shown whole."))
    home_region = forms.CharField(label=_("Your community or village"), required=False, max_length=12,
                                  help_text=_("Pick where you live so that local services find you."))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    guardian_name = forms.CharField(label=_("Guardian's name"), required=False, max_length=50)
    guardian_relation = forms.CharField(label=_("Relation to the child"), required=False, max_length=20)
    guardian_id_number = forms.CharField(label=_("Guardian's ID number"), required=False, max_length=18)
    consent = forms.BooleanField(label=_("I have read and accept the privacy notice."))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data

    @property
    def consent_version(self) -> str:
        return settings.PRIVACY_NOTICE_VERSION if self.cleaned_data.get("consent") else ""


class ProfileForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    home_region = forms.CharField(label=_("Your community or village"), required=False, max_length=12)


class DeleteForm(forms.Form):
    password = forms.CharField(label=_("Your password, to confirm"), widget=forms.PasswordInput)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)


class CityLinkForm(forms.Form):
    password = forms.CharField(label=_("Your Quanmin password"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CityRegisterForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    consent = forms.BooleanField(label=_("I have read and accept the privacy notice."))

    @property
    def consent_version(self) -> str:
        return settings.PRIVACY_NOTICE_VERSION if self.cleaned_data.get("consent") else ""


class FirstPasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
