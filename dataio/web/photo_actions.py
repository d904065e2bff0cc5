"""The photo admin's "make the thumbnails again" action: the selected photos' thumbnails remade by background
jobs, one per batch (:func:`dataio.operations.start_rendition_jobs`, docs/jobs.md); registered on the core's
photo admin at start-up (dataio.apps), since the core does not import this app."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dataio.operations import start_rendition_jobs


@admin.action(description=gettext_lazy("Make the thumbnails again (background jobs)"))
def regenerate_thumbnails(modeladmin, request, queryset):
    try:
        jobs = start_rendition_jobs(actor=request.user, photo_ids=list(queryset.values_list("pk", flat=True)),
                                    language=request.LANGUAGE_CODE)
    except PermissionDenied as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None
    if len(jobs) == 1:
        return redirect("staff-job", pk=jobs[0].pk)
    links = format_html_join(", ", '<a href="{}">{}</a>', ((reverse("staff-job", args=[job.pk]), job.filename)
                                                          for job in jobs))
    modeladmin.message_user(request, format_html("{} {}", _("Queued:"), links), messages.SUCCESS)
    return None
