"""Forms of the safety staff pages and of the ambassador's page: they read input, the operations decide."""

from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.photos.forms import ACCEPT, PhotoInput, PhotosField
from safety.models import AmbassadorKind, RiskCategory, Severity


def camera_photos(label=_("Photos"), *, required=False) -> PhotosField:
    widget = PhotoInput(attrs={"accept": ACCEPT, "multiple": True, "capture": "environment"})
    return PhotosField(required=required, max_count=6, widget=widget, label=label,
                       help_text=_("Up to 6; the camera opens on a phone."))


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlaceForm(forms.Form):
    """A place from the phone's position (or typed): longitude and latitude in WGS-84."""

    lat = forms.FloatField(label=_("latitude"), min_value=-90, max_value=90, required=False)
    lon = forms.FloatField(label=_("longitude"), min_value=-180, max_value=180, required=False)

    def point(self):
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        return None if lat is None or lon is None else Point(lon, lat, srid=4326)


class RiskForm(PlaceForm):
    category = forms.ChoiceField(label=_("category"), choices=RiskCategory.choices)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    description = forms.CharField(label=_("description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = camera_photos()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and self.point() is None:
            raise ValidationError(_("Give the risk's place: allow the phone's position or enter it."))
        return cleaned


class ProblemRiskForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=RiskCategory.choices)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    description = forms.CharField(label=_("description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class InterventionForm(forms.Form):
    measure = forms.CharField(label=_("measure"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("responsible party"), max_length=200)
    deadline = forms.DateTimeField(label=_("deadline"), required=False, widget=DateTimeInput(),
                                   help_text=_("Empty: the default deadline of the risk's severity."))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("closing note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    photos = camera_photos(_("Evidence photos"))


class AcceptForm(forms.Form):
    reason = forms.CharField(label=_("reason for accepting"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AmbassadorForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=AmbassadorKind.choices)
    community = forms.ModelChoiceField(label=_("community"), queryset=None)
    mobile = forms.CharField(label=_("mobile"), max_length=20, required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class TrainingForm(forms.Form):
    community = forms.ModelChoiceField(label=_("community"), queryset=None)
    topic = forms.CharField(label=_("topic"), max_length=200)
    date = forms.DateField(label=_("date"), widget=DateInput())
    trainer = forms.CharField(label=_("trainer"), max_length=100)
    attendees = forms.ModelMultipleChoiceField(label=_("attendees"), queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    photos = camera_photos()

    def __init__(self, *args, communities, ambassadors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["attendees"].queryset = ambassadors


class AccountForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput, max_length=128)


class EvaluationForm(forms.Form):
    checklist_score = forms.IntegerField(label=_("checklist score (0–100)"), min_value=0, max_value=100,
                                         required=False)
    conclusion = forms.CharField(label=_("conclusion"), max_length=4000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))


class NewEvaluationForm(forms.Form):
    community = forms.ModelChoiceField(label=_("community"), queryset=None)
    period_start = forms.DateField(label=_("period start"), widget=DateInput(), required=False,
                                   help_text=_("Empty: the current quarter."))
    period_end = forms.DateField(label=_("period end"), widget=DateInput(), required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


def round_answers(post, items) -> dict:
    """The answers of a round form: ``item-<id>`` = "pass" / "fail", ``note-<id>`` a note. Every posted
    ``item-<id>`` is passed on, so an item of another checklist reaches the operation, which refuses it."""
    answers = {}
    for key, value in post.items():
        if key.startswith("item-"):
            item_id = key.removeprefix("item-")
            if value not in ("pass", "fail"):
                raise ValidationError(_("Answer each item with passed or failed."))
            answers[item_id] = (value == "pass", post.get(f"note-{item_id}", "")[:500])
    return answers
