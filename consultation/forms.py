"""Forms of the consultation staff pages. They check input early for a message on the field; the
operations decide (area, votes within the participants, dates)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultation.models import ConvenerRole, MeetingLevel, VenueKind
from consultation.operations import MAX_PHOTOS, MAX_TEXT, ResolutionInput
from registry.geography import Community, Grid
from registry.photos.forms import PhotosField

DATE = forms.DateInput(attrs={"type": "date"})
COUNT = forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"})
#: How many resolutions the meeting form offers (empty ones are skipped).
RESOLUTION_ROWS = 3


class MeetingForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=MeetingLevel.choices, widget=forms.RadioSelect,
                              initial=MeetingLevel.BUILDING)
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), required=False)
    building_address = forms.CharField(label=_("Building's address"), max_length=300, required=False)
    venue_kind = forms.ChoiceField(label=_("Venue"), choices=VenueKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    convener_role = forms.ChoiceField(label=_("Convened by"), choices=ConvenerRole.choices)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    participants = forms.IntegerField(label=_("Participants"), required=False, widget=COUNT)
    households_present = forms.IntegerField(label=_("Household representatives present"), required=False,
                                            widget=COUNT)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_published = forms.BooleanField(label=_("Show in the community's public register"), required=False,
                                      initial=True)
    photos = PhotosField(label=_("Photos"), required=False, max_count=MAX_PHOTOS)

    def __init__(self, *args, communities, grids, **kwargs):
        """``communities`` and ``grids``: those the user works in."""
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["grid"].queryset = grids
        for number in range(1, RESOLUTION_ROWS + 1):
            self.fields[f"r{number}_text"] = forms.CharField(
                label=_("Resolution %(number)d") % {"number": number}, required=False, max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}))
            for name, label in (("for", _("Votes for")), ("against", _("Votes against")),
                                ("abstain", _("Abstentions"))):
                self.fields[f"r{number}_{name}"] = forms.IntegerField(label=label, required=False, widget=COUNT)
            self.fields[f"r{number}_adopted"] = forms.BooleanField(label=_("Adopted"), required=False,
                                                                   initial=True)
            self.fields[f"r{number}_responsible"] = forms.CharField(label=_("Responsible party"), required=False,
                                                                    max_length=200)
            self.fields[f"r{number}_due"] = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def meeting_fields(self):
        return [self[name] for name in ("level", "community", "grid", "building_address", "venue_kind", "date",
                                        "convener_role", "topic", "participants", "households_present",
                                        "minutes", "is_published", "photos")]

    def resolution_rows(self):
        return [[self[f"r{number}_{name}"] for name in ("text", "for", "against", "abstain", "adopted",
                                                        "responsible", "due")]
                for number in range(1, RESOLUTION_ROWS + 1)]

    def clean(self):
        data = super().clean()
        # The ledger import may leave them out (its columns have neither); a meeting recorded here says them.
        if data.get("level") == MeetingLevel.GRID and not data.get("grid"):
            self.add_error("grid", _("A grid meeting needs its grid."))
        if data.get("level") == MeetingLevel.BUILDING and not (data.get("building_address") or "").strip():
            self.add_error("building_address", _("A building meeting needs the building's address."))
        if not any((data.get(f"r{number}_text") or "").strip() for number in range(1, RESOLUTION_ROWS + 1)):
            raise forms.ValidationError(_("Record at least one resolution of the meeting."))
        return data

    def operation_kwargs(self) -> dict:
        data = self.cleaned_data
        resolutions = [ResolutionInput(
            text=data[f"r{n}_text"], votes_for=data[f"r{n}_for"] or 0, votes_against=data[f"r{n}_against"] or 0,
            votes_abstain=data[f"r{n}_abstain"] or 0, adopted=data[f"r{n}_adopted"],
            responsible=data[f"r{n}_responsible"], due_date=data[f"r{n}_due"])
            for n in range(1, RESOLUTION_ROWS + 1) if (data[f"r{n}_text"] or "").strip()]
        return {name: data[name] for name in ("level", "community", "grid", "building_address", "venue_kind",
                                              "date", "convener_role", "topic", "participants",
                                              "households_present", "minutes", "is_published", "photos")} | {
            "resolutions": resolutions}


class ExecuteForm(forms.Form):
    executed_on = forms.DateField(label=_("Executed on"), widget=DATE)
    upkeep_log = forms.IntegerField(label=_("Upkeep log number"), required=False, widget=COUNT)
    project = forms.IntegerField(label=_("Project number"), required=False, widget=COUNT)
    problem = forms.IntegerField(label=_("Resolved problem report number"), required=False, widget=COUNT)
    adoption = forms.IntegerField(label=_("Adoption number"), required=False, widget=COUNT)
    photos = PhotosField(label=_("Photos"), required=False, max_count=MAX_PHOTOS)


class NotFeasibleForm(forms.Form):
    reason = forms.CharField(label=_("Why it cannot be carried out (public)"), max_length=MAX_TEXT,
                             widget=forms.Textarea(attrs={"rows": 2}))
