"""Forms of the adopters' pages. They check shape and say what is missing; the rules live in operations.

Each form that strangers can post carries a honeypot field (:class:`HoneypotMixin`): hidden from
people by CSS and from screen readers, but bots that fill every input fill it too.
"""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from adoption.models import AdopterKind
from registry.photos.forms import PhotosField
from registry.submissions import SubmissionKeyField
from registry.validators import normalize_mobile, validate_credit_code, validate_mobile, validate_visible_name
from upkeep.models import UpkeepAction

#: The privacy notice the sign-up form shows (templates/adopters/_privacy_notice.html); bump it
#: when that text changes, so each adopter's consent names the version they read.
PRIVACY_NOTICE_VERSION = "2025-1"

PERSON_KINDS = {AdopterKind.VETERAN, AdopterKind.VOLUNTEER, AdopterKind.RESIDENT}
CREDIT_CODE_KINDS = AdopterKind.organisations()  # the shop's code is optional


class HoneypotMixin(forms.Form):
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("This form could not be sent. Please try again."), code="honeypot")
        return ""

    @property
    def caught_bot(self) -> bool:
        return any(error.code == "honeypot" for error in self.errors.as_data().get("website", []))


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("Mainland China mobile, e.g. 13812345678."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        value = super().clean(value)
        validate_mobile(value)
        return normalize_mobile(value)


class CreditCodeFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Unified social credit code"))
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("help_text", _("18 characters, on the business licence or registration certificate."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip().upper()
        if value:
            validate_credit_code(value)
        return value


class SignUpForm(HoneypotMixin):
    kind = forms.ChoiceField(label=_("Who is adopting?"), choices=AdopterKind.choices, widget=forms.RadioSelect)
    organisation_name = forms.CharField(
        label=_("Name of the organisation or shop"), max_length=100, required=False, validators=[validate_visible_name],
        help_text=_("The map and plaques credit you by this name, so there is no separate public name to fill in; "
                    "you can change the name shown later under My details."))
    credit_code = CreditCodeFormField(required=False)
    person_name = forms.CharField(label=_("Your name"), max_length=50, required=False,
                                  validators=[validate_visible_name])
    public_name = forms.CharField(
        label=_("Name shown to the public"), max_length=100, required=False, validators=[validate_visible_name],
        help_text=_("How the map and plaques credit you; your own name if left empty."))
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False,
                                     validators=[validate_visible_name])
    mobile = MobileField()
    email = forms.EmailField(label=_("E-mail (optional)"), required=False,
                             help_text=_("For decisions and reminders; we send a link to confirm it."))
    password1 = forms.CharField(label=_("Password"), strip=False, help_text=password_validators_help_text_html(),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(label=_("I have read the privacy notice above and agree to it."),
                                 error_messages={"required": _("Please agree to the privacy notice to sign up.")})

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in PERSON_KINDS:
            self._require(data, "person_name", _("Enter your name."))
        elif kind:
            self._require(data, "organisation_name", _("Enter the name of the organisation or shop."))
            self._require(data, "contact_person", _("Enter the name of a contact person."))
            if kind in CREDIT_CODE_KINDS and "credit_code" not in self.errors:
                self._require(data, "credit_code", _("Organisations must give their unified social credit code."))
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data

    def _require(self, data, name, message):
        if not (data.get(name) or "").strip() and name not in self.errors:
            self.add_error(name, message)

    def registration(self) -> dict:
        """Keyword arguments for ``adoption.accounts.register_adopter``."""
        data = self.cleaned_data
        if data["kind"] in PERSON_KINDS:
            name = data["person_name"].strip()
            display_name, contact, code = data["public_name"].strip() or name, name, ""
        else:
            display_name, contact, code = data["organisation_name"], data["contact_person"], data["credit_code"]
        return {"kind": data["kind"], "display_name": display_name, "contact_person": contact,
                "mobile": data["mobile"], "email": data["email"], "credit_code": code,
                "password": data["password1"], "privacy_notice_version": PRIVACY_NOTICE_VERSION}


class LoginForm(AuthenticationForm):
    """Adopters sign in with their mobile number (typed any way), staff with their user name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Mobile number or user name")

    def clean_username(self):
        value = self.cleaned_data["username"]
        number = normalize_mobile(value)
        return number if number.isdigit() and len(number) == 11 else value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ApplyForm(HoneypotMixin):
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())
    duties = forms.CharField(label=_("Care pledge"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("What you will do, e.g. water twice a week, weed and tidy monthly."))
    care_interval_days = forms.IntegerField(label=_("Look after it at least every … days"), min_value=1,
                                            max_value=90, initial=7)
    people = forms.IntegerField(label=_("Number of people taking part"), min_value=1, max_value=500, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["first_day"].initial = today
        self.fields["last_day"].initial = today + datetime.timedelta(days=364)  # a year, give or take a leap day

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The adoption cannot end before it starts."))
        return data


class RenewForm(forms.Form):
    last_day = forms.DateField(label=_("Keep it until"), widget=DateInput())


class CareForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    action = forms.ChoiceField(label=_("Work done"), choices=UpkeepAction.choices)
    hours = forms.DecimalField(label=_("Hours"), min_value=0.25, max_value=24, decimal_places=2, initial=1)
    participants = forms.IntegerField(label=_("People"), min_value=1, max_value=500, initial=1)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("Photos"), required=False, max_count=6)
    submission_key = SubmissionKeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise ValidationError(_("Care work cannot be logged in the future."))
        return day


class DetailsForm(forms.Form):
    display_name = forms.CharField(label=_("Name shown to the public"), max_length=100)
    contact_person = forms.CharField(label=_("Contact person"), max_length=50)
    mobile = MobileField()
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    credit_code = CreditCodeFormField(required=False)

    def __init__(self, *args, adopter, **kwargs):
        super().__init__(*args, **kwargs)
        self.adopter = adopter
        if adopter.kind in PERSON_KINDS:
            del self.fields["credit_code"]
            self.fields["contact_person"].label = _("Your name")
        elif adopter.kind in CREDIT_CODE_KINDS:
            self.fields["credit_code"].required = True


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Say why the application is rejected; the applicant "
                                                           "will read it.")})
