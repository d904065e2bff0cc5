from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Consultation")

    def ready(self):
        # Tell the core's orphan-photo sweep which files meeting and evidence photos refer to
        # (registry.photos.storage asks; it does not import this app).
        from consultation.queries import consultation_photo_files
        from registry.photos.storage import register_photo_references

        register_photo_references(consultation_photo_files)

        # The project page shows the resolutions concerning the project (projects offers the hook).
        from consultation.queries import project_section
        from projects.views import register_project_section

        register_project_section(project_section)
