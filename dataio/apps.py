from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    name = "dataio"
    verbose_name = _("Data import and export")

    def ready(self):
        from dataio.web.photo_actions import regenerate_thumbnails
        from registry.photos.actions import register_photo_admin_action

        register_photo_admin_action(regenerate_thumbnails)
