from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GardensConfig(AppConfig):
    name = "gardens"
    verbose_name = _("Gardens and green plots")
