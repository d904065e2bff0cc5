"""Forms of the project pages. They check input early for a message on the field; the operations decide."""

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.utils.translation import gettext_lazy as _

from adoption.models import Adopter
from projects.models import AssetRole, ContractorRole, FundingSource, ProjectKind
from projects.operations import MAX_TEXT, TaggedPhoto
from projects.phases import Phase
from registry.photos.forms import PhotosField

DATE = forms.DateInput(attrs={"type": "date"})


class ProjectForm(forms.Form):
    """A project's own facts; the site is a point (lon/lat, e.g. from the phone's position) or a WKT polygon."""

    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    wkt = forms.CharField(label=_("Or the site as WKT (polygon)"), required=False,
                          widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DATE)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=DATE)
    is_public = forms.BooleanField(label=_("Shown to residents"), required=False, initial=True)
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=None, required=False)
    weight = forms.IntegerField(label=_("Weight in the parent"), min_value=1, initial=1)

    def __init__(self, *args, parents, **kwargs):
        """``parents``: the projects the user may choose as the parent (their own street's)."""
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents

    def clean(self):
        data = super().clean()
        wkt, lon, lat = data.get("wkt", "").strip(), data.get("lon"), data.get("lat")
        if wkt:
            try:
                data["site"] = GEOSGeometry(wkt, srid=4326)
            except (GEOSException, ValueError):
                self.add_error("wkt", _("This is not a WKT geometry, e.g. POLYGON((113.24 23.12, …))."))
        elif lon is not None and lat is not None:
            data["site"] = Point(lon, lat, srid=4326)
        elif not self.has_error("lon") and not self.has_error("lat"):
            raise forms.ValidationError(_("Give the site: longitude and latitude, or a WKT polygon."))
        return data

    def operation_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("name_zh", "name_en", "kind", "description", "planned_start",
                                              "planned_end", "actual_start", "actual_end", "is_public",
                                              "parent", "weight")} | {"site": data["site"]}


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note (the reason, when going back)"), required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 2}))
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=100)


class FundingForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=FundingSource.choices)
    sponsor = forms.ModelChoiceField(label=_("Sponsor (adopter)"), queryset=Adopter.objects.order_by("display_name"),
                                     required=False)
    sponsor_name = forms.CharField(label=_("Or the sponsor's public name"), required=False, max_length=100)
    #: Text, not a number field: the operation gives the message for "十万" or "-5" in the user's language.
    amount_planned = forms.CharField(label=_("Planned (yuan)"), max_length=20,
                                     widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    amount_received = forms.CharField(label=_("Received (yuan)"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ContractorForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ContractorRole.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    credit_code = forms.CharField(label=_("Unified social credit code"), required=False, max_length=30)
    contract_start = forms.DateField(label=_("Contract start"), required=False, widget=DATE)
    contract_end = forms.DateField(label=_("Contract end"), required=False, widget=DATE)


class MilestoneForm(forms.Form):
    """A dated entry; each photo field tags its photos (before / during / after)."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("What happened"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(label=_("Progress (%)"), required=False, min_value=0, max_value=100)
    photos_before = PhotosField(label=_("Photos before"), required=False, max_count=4)
    photos_during = PhotosField(label=_("Photos during"), required=False, max_count=4)
    photos_after = PhotosField(label=_("Photos after"), required=False, max_count=4)

    def tagged_photos(self) -> list[TaggedPhoto]:
        return [TaggedPhoto(upload, stage) for stage in ("before", "during", "after")
                for upload in self.cleaned_data[f"photos_{stage}"]]


class LinkAssetForm(forms.Form):
    asset = forms.IntegerField(label=_("Asset number"), min_value=1)
    role = forms.ChoiceField(label=_("The project"), choices=AssetRole.choices)
