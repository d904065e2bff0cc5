from django.contrib import admin

from gardens.models import GreenPlot, NeighbourhoodGarden, PaintedElectricalBox
from registry.admin import KindAdmin


@admin.register(NeighbourhoodGarden)
class NeighbourhoodGardenAdmin(KindAdmin):
    kind_fields = ["theme", "plants", "seats", "parking_spaces", "facilities"]


@admin.register(GreenPlot)
class GreenPlotAdmin(KindAdmin):
    kind_fields = ["vegetation", "watering_needs"]
    list_filter = KindAdmin.list_filter + ["vegetation"]


@admin.register(PaintedElectricalBox)
class PaintedElectricalBoxAdmin(KindAdmin):
    kind_fields = ["artwork_theme", "painter", "painted_on"]
