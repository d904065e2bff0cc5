from django.contrib import admin

from registry.admin import KindAdmin
from retrofits.models import ElevatorRetrofit


@admin.register(ElevatorRetrofit)
class ElevatorRetrofitAdmin(KindAdmin):
    kind_fields = ["stage", "custody_mode", "maintenance_contractor", "next_inspection_on", "households"]
    list_filter = KindAdmin.list_filter + ["stage", "custody_mode"]
