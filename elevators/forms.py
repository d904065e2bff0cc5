"""The form staff record a retrofit's stage with (the operation does the checking)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from elevators.models import ProgrammeStage


class RecordStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=ProgrammeStage.choices)
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False,
                                      help_text=_("The planning permit's or the registration certificate's number."))
    owners_share = forms.DecimalField(label=_("Owners agreeing (%)"), max_digits=5, decimal_places=2,
                                      required=False, help_text=_("For the owners' consent."))
    floor_area_share = forms.DecimalField(label=_("Floor area agreeing (%)"), max_digits=5, decimal_places=2,
                                          required=False, help_text=_("For the owners' consent."))
    households_agreeing = forms.IntegerField(label=_("Households agreeing"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    correction_reason = forms.CharField(label=_("Correction reason"), required=False, max_length=500,
                                        help_text=_("Only when the date is before the latest recorded stage."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == ProgrammeStage.CONSENT:
            for name in ("owners_share", "floor_area_share"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Enter the share agreeing, in per cent."))
        return cleaned
