from django.contrib import admin

from .models import ImpactRollup, ImpactSettings, StaffYear


@admin.register(ImpactSettings)
class ImpactSettingsAdmin(admin.ModelAdmin):
    list_display = ["district", "hourly_cost", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(ImpactRollup)
class ImpactRollupAdmin(admin.ModelAdmin):
    list_display = ["district", "computed_at", "seconds"]
    readonly_fields = ["district", "computed_at", "seconds"]

    def has_add_permission(self, request):
        return False


@admin.register(StaffYear)
class StaffYearAdmin(admin.ModelAdmin):
    list_display = ["school_year", "district", "user", "school", "career_stage"]
    list_filter = ["school_year", "career_stage"]
    raw_id_fields = ["user", "school"]
    list_select_related = ["district", "user", "school"]
