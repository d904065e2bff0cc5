"""Forms of the problem pages. They check input early for a good message; the operations decide."""

from django import forms
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from problems.operations import MAX_PHOTOS, MAX_TEXT, Contact
from registry.naming import person_name
from registry.photos.forms import PhotosField
from registry.submissions import SubmissionKeyField
from registry.validators import validate_mobile, validate_visible_name
from upkeep.models import UpkeepLog


class ReportProblemForm(forms.Form):
    category = forms.ChoiceField(label=_("What is wrong?"), widget=forms.RadioSelect)
    description = forms.CharField(label=_("Describe it"), required=False, max_length=MAX_TEXT,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Where exactly, since when, how bad. Text or a photo is needed."))
    photos = PhotosField(label=_("Photos"), required=False, max_count=MAX_PHOTOS,
                         help_text=format_lazy(_("Up to {max} photos (JPEG, PNG or WebP)."), max=MAX_PHOTOS))
    reporter_name = forms.CharField(label=_("Your name"), required=False, max_length=50,
                                    validators=[validate_visible_name])
    reporter_mobile = forms.CharField(label=_("Mobile"), required=False, max_length=20, validators=[validate_mobile],
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    reporter_email = forms.EmailField(label=_("Email"), required=False,
                                      help_text=_("We email you when the street office answers."))
    contact_consent = forms.BooleanField(
        label=_("The street office may keep my contact to reply about this report. It is never shown publicly."),
        required=False)
    #: A honeypot: hidden from people by CSS, filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    submission_key = SubmissionKeyField()

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("description", "").strip() and not data.get("photos"):
            raise forms.ValidationError(_("Describe the problem or add a photo of it."), code="empty_report")
        return data

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(name=data["reporter_name"], mobile=data["reporter_mobile"], email=data["reporter_email"],
                       consent=data["contact_consent"])


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Public reply"), max_length=MAX_TEXT, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Shown on the asset page and emailed to reporters who left an address."))


class PublicTextForm(forms.Form):
    public_text = forms.CharField(
        label=_("Public text"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What residents read of this report on the asset page. Leave out names and addresses; "
                    "the resident's own words stay here for staff. Empty: nothing is published."))


class UpkeepLogChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, log):
        when = formats.date_format(timezone.localtime(log.performed_at), "SHORT_DATETIME_FORMAT")
        who = log.adopter.display_name if log.adopter_id else person_name(log.staff)
        return f"{when} · {log.get_action_display()} · {who}"


class AnswerForm(ReplyForm):
    """The one answer box of a report's page: a public reply, and the upkeep that fixed it (which only
    the "resolve" action needs: ``problems.operations.resolve_problem`` refuses to resolve without it)."""

    upkeep_log = UpkeepLogChoiceField(label=_("Upkeep that fixed it"), queryset=None, widget=forms.RadioSelect,
                                        empty_label=None, required=False,
                                        error_messages={"invalid_choice": _("Choose upkeep done on this asset.")})

    def __init__(self, *args, logs, **kwargs):
        """``logs``: the upkeep logs offered (a list); only those may be chosen."""
        super().__init__(*args, **kwargs)
        self.fields["upkeep_log"].queryset = (UpkeepLog.objects.filter(pk__in=[log.pk for log in logs])
                                              .select_related("staff", "adopter").order_by("-performed_at", "-pk"))
