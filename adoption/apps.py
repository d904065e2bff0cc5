from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionConfig(AppConfig):
    name = "adoption"
    # The label the app had as ``adopters``: its migration history and tables keep that name, so an
    # existing database migrates without a rename (docs/architecture.md).
    label = "adopters"
    verbose_name = _("Adopters")

    def ready(self):
        # Tell the core who, besides staff, looks after an asset: its current adopter
        # (registry.access.upkeep_performer asks; it does not import this app). Imported here,
        # not at the top: both modules load models, which exist only once the apps are ready.
        from adoption.queries import adopter_caring_for
        from registry.access import register_caretaker_lookup

        register_caretaker_lookup(adopter_caring_for)
