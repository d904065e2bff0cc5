"""Form fields for photo uploads: the pipeline's checks run in form validation, so a bad file
gets its message on the field before any operation starts.

    photo = PhotoField(required=False)                 # one photo
    photos = PhotosField(required=False, max_count=6)  # several, e.g. before/after, from a phone
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _, ngettext_lazy

from registry.photos.pipeline import validate_upload

#: What the file picker offers; phones then offer the camera too. The server checks the content.
ACCEPT = "image/jpeg,image/png,image/webp"


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """One uploaded photo, checked by ``validate_upload``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("label", _("Photo"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            validate_upload(upload)
        return upload


class PhotosField(forms.FileField):
    """Several uploaded photos (a list, possibly empty), each checked by ``validate_upload``."""

    def __init__(self, *, max_count: int = 6, **kwargs):
        self.max_count = max_count
        kwargs.setdefault("widget", PhotoInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("label", _("Photos"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_count:
            raise ValidationError(ngettext_lazy("Send at most %(count)d photo.", "Send at most %(count)d photos.",
                                                "count"), code="too_many_files", params={"count": self.max_count})
        errors = []
        for upload in uploads:
            try:
                super().clean(upload, initial)
                validate_upload(upload)
            except ValidationError as error:  # say which of the files it is
                errors += [ValidationError(_("%(name)s: %(message)s"), code="bad_photo",
                                           params={"name": upload.name, "message": message})
                           for message in error.messages]
        if errors:
            raise ValidationError(errors)
        return uploads
