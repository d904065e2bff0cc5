"""The import page's form: the file, its kind, and the options of ``manage.py import_assets``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dataio.importing.columns import load_mapping
from dataio.importing.retrofit_ledger import LEDGER_SUFFIXES, RETROFIT_LEDGER
from dataio.importing.sources import file_format
from registry.assets import AssetKind
from registry.spatial_refs import ALLOWED_SRIDS

MAX_MAPPING_BYTES = 64 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "GeoJSON, zipped Shapefile (.zip), GeoPackage, KML, or CSV with lon/lat or WKT columns."))
    kind = forms.ChoiceField(label=_("Kind of every row"), choices=[
        *AssetKind.choices, (RETROFIT_LEDGER, _("the elevator retrofit ledger (CSV or XLSX, columns in docs/data-io.md)"))])
    layer = forms.CharField(label=_("Layer"), required=False, max_length=200,
                            help_text=_("Leave empty to read every layer with geometries."))
    srid = forms.TypedChoiceField(
        label=_("Coordinate reference system"), required=False, coerce=int, empty_value=None,
        choices=[("", _("As the file says (CSV: WGS-84)"))] + [(code, f"EPSG:{code} · {name}")
                                                             for code, name in sorted(ALLOWED_SRIDS.items())])
    gcj02 = forms.BooleanField(label=_("Coordinates were copied from Gaode/AMap (GCJ-02)"), required=False)
    mapping = forms.FileField(label=_("Column mapping (JSON)"), required=False, help_text=_(
        "A JSON object from the file's column names to field names, e.g. {\"名称\": \"name_zh\"}."))

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if cleaned.get("kind") == RETROFIT_LEDGER:
            if not upload.name.lower().endswith(LEDGER_SUFFIXES):
                self.add_error("file", _("A ledger is a .csv or .xlsx file."))
        else:
            try:
                file_format(upload.name)  # ValidationError for an extension the import does not read
            except forms.ValidationError as error:
                self.add_error("file", error)
        return cleaned

    def clean_mapping(self):
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return {}
        if upload.size > MAX_MAPPING_BYTES:
            raise forms.ValidationError(_("The mapping file is too large for a column mapping."))
        return load_mapping(upload.read())


class ProjectLedgerForm(forms.Form):
    """The project ledger (CSV) for ``dataio.importing.projects``: checked first, imported when asked."""

    file = forms.FileField(label=_("Project ledger (CSV in UTF-8, or Excel .xlsx)"), help_text=_(
        "One project per row; the columns are listed in docs/data-io.md (external_id, name_zh, kind, street, …)."))
    check_only = forms.BooleanField(label=_("Only check the file; import nothing"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The project ledger is a .csv or .xlsx file."))
        return upload


class ResolutionLedgerForm(forms.Form):
    """The resolution ledger of consultation for ``dataio.importing.resolutions``: checked first, imported when asked."""

    file = forms.FileField(label=_("Resolution ledger (CSV in UTF-8, or Excel .xlsx)"), help_text=_(
        "One resolution per row, headers in Chinese or English (决议编号 external_id, 社区 community, 层级 level, "
        "议事日期 meeting_date, 议题 topic, 决议内容 resolution, 状态 status, …; see docs/data-io.md)."))
    check_only = forms.BooleanField(label=_("Only check the file; import nothing"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The resolution ledger is a .csv or .xlsx file."))
        return upload
