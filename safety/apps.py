from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("SITE safety loop")

    def ready(self):
        # Registered here, not imported by the core (it cannot import this app): the core's
        # orphan-photo sweep learns which files risk, intervention and training photos refer to,
        # and registry.access learns who is a safety ambassador and what that one right covers.
        # Imported here, not at the top: both modules load models, which exist only once the apps
        # are ready.
        from registry.access import register_limited_role
        from registry.photos.storage import register_photo_references
        from safety.queries import ambassador_role, safety_photo_files

        register_photo_references(safety_photo_files)
        register_limited_role(ambassador_role)
