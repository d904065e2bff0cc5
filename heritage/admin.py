from django.contrib import admin

from heritage.models import HeritageBuilding, Mural
from registry.admin import KindAdmin


@admin.register(HeritageBuilding)
class HeritageBuildingAdmin(KindAdmin):
    kind_fields = ["protection_level", "era", "style", "renovation_history"]
    list_filter = KindAdmin.list_filter + ["protection_level", "style"]


@admin.register(Mural)
class MuralAdmin(KindAdmin):
    kind_fields = ["wall_type", "motif_tags", "artist", "surface", "painted_on", "condition"]
    list_filter = KindAdmin.list_filter + ["wall_type", "condition"]
