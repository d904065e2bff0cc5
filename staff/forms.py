"""Forms of the staff workbench: finding an asset, logging and correcting upkeep, choosing a street.

Phone-first: the photo inputs open the camera (``capture="environment"``), dates use the
browser's own picker, numbers the numeric keypad. Every message is translated.
"""

import datetime

from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.photos.forms import ACCEPT, PhotoInput, PhotosField
from registry.queries import SEARCH_MAX_LENGTH
from registry.submissions import SubmissionKeyField
from upkeep.models import UpkeepAction
from upkeep.operations import FUTURE_TOLERANCE

MAX_PHOTOS = 6
MAX_NOTES = 2000


def camera_photos(label, help_text) -> PhotosField:
    """Several photos, taken with the phone's back camera or chosen from its gallery."""
    widget = PhotoInput(attrs={"accept": ACCEPT, "multiple": True, "capture": "environment"})
    return PhotosField(required=False, max_count=MAX_PHOTOS, widget=widget, label=label, help_text=help_text)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def check_position(data) -> None:
    """Latitude and longitude come together or not at all."""
    if (data.get("lat") is None) != (data.get("lon") is None):
        raise ValidationError(_("A position needs both a latitude and a longitude."), code="half_position")


def point_of(data) -> Point | None:
    if data.get("lat") is None or data.get("lon") is None:
        return None
    return Point(data["lon"], data["lat"], srid=4326)


class FindForm(forms.Form):
    """``?q=`` searches names and addresses; ``?lat=&lon=`` lists the nearest assets."""

    q = forms.CharField(label=_("Name or address"), required=False, max_length=SEARCH_MAX_LENGTH, strip=True)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def clean_q(self):
        text = self.cleaned_data["q"]
        if "\x00" in text:
            raise ValidationError(_("Search for a name or address."), code="invalid")
        return text

    def clean(self):
        data = super().clean()
        check_position(data)
        return data

    @property
    def point(self) -> Point | None:
        return point_of(getattr(self, "cleaned_data", {}))


class WorkForm(forms.Form):
    """What was done, when, how long, by how many: shared by logging and correcting."""

    action = forms.ChoiceField(label=_("Work done"), choices=UpkeepAction.choices)
    performed_at = forms.DateTimeField(label=_("When"), widget=LocalDateTimeInput,
                                       help_text=_("Now, unless you log work done earlier."))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=1,
                                          max_value=24 * 60,
                                          widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    participants = forms.IntegerField(label=_("People"), min_value=1, max_value=500, initial=1,
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=MAX_NOTES,
                            widget=forms.Textarea(attrs={"rows": 3}))
    photos_before = camera_photos(_("Photos before the work"), _("Up to 6; the camera opens on a phone."))
    photos = camera_photos(_("Photos after the work"), _("Up to 6; the camera opens on a phone."))

    def clean_performed_at(self):
        performed_at = self.cleaned_data["performed_at"]
        if performed_at > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(_("Care work cannot be logged in the future."), code="future")
        if performed_at < timezone.now() - datetime.timedelta(days=366):
            raise ValidationError(_("Log work done within the last year."), code="too_old")
        return performed_at

    def work(self) -> dict:
        """The operation's keyword arguments for the work itself."""
        data = self.cleaned_data
        return {name: data[name] for name in ("action", "performed_at", "duration_minutes", "participants",
                                              "notes", "photos_before", "photos")}


class LogUpkeepForm(WorkForm):
    """Logging new work: the phone's position is filled in by staff.js when the browser gives it."""

    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    submission_key = SubmissionKeyField()

    def __init__(self, *args, problems=(), **kwargs):
        """``problems``: the asset's open problem reports this work may resolve (with a public reply).

        The fields are there even with nothing to offer, so that a report closed meanwhile (or
        another asset's) sent in ``resolves`` is refused rather than silently ignored.
        """
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        self.fields["resolves"] = forms.TypedMultipleChoiceField(
            label=_("This work fixed"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
            choices=[(report.pk, f"#{report.pk} {report.get_category_display()}") for report in self.problems],
            error_messages={"invalid_choice": _("This problem is no longer open on this asset.")})
        self.fields["reply"] = forms.CharField(
            label=_("Public reply"), required=False, max_length=MAX_NOTES, widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Shown on the asset page and sent to the people who reported it."))

    def clean(self):
        data = super().clean()
        check_position(data)
        if data.get("resolves") and not (data.get("reply") or "").strip():
            self.add_error("reply", _("Write a public reply for the reporter and the asset page."))
        return data

    @property
    def position(self) -> Point | None:
        return point_of(self.cleaned_data)

    @property
    def resolved_reports(self) -> list:
        chosen = set(self.cleaned_data.get("resolves") or ())
        return [report for report in self.problems if report.pk in chosen]


class CorrectUpkeepForm(WorkForm):
    """Correcting one's own log: the work itself, and more photos if some were missing."""


PERIODS = ((30, _("last 30 days")), (90, _("last 90 days")), (365, _("last 12 months")))


class StatisticsForm(forms.Form):
    street = forms.ChoiceField(label=_("Street"), required=False)
    days = forms.TypedChoiceField(label=_("Period"), choices=PERIODS, coerce=int, initial=90, required=False,
                                  empty_value=90)

    def __init__(self, *args, streets, **kwargs):
        """``streets``: the streets the user may see; "" means all of them."""
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", _("All my streets"))] + [
            (street.code, street.display_name) for street in streets]
