from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Renovation projects")

    def ready(self):
        # Tell the core's orphan-photo sweep which files milestone photos refer to
        # (registry.photos.storage asks; it does not import this app). Imported here, not at the
        # top: both modules load models, which exist only once the apps are ready.
        from projects.queries import milestone_photo_files
        from registry.photos.storage import register_photo_references

        register_photo_references(milestone_photo_files)
