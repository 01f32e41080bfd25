from django.contrib import admin

from .models import AtRiskCheck, ImpactRollup, ImpactSettings, StaffYear


@admin.register(ImpactSettings)
class ImpactSettingsAdmin(admin.ModelAdmin):
    list_display = ["district", "hourly_cost", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]


class ReadOnlyTimingAdmin(admin.ModelAdmin):
    """When background work last ran for a district: read, never written, here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImpactRollup)
class ImpactRollupAdmin(ReadOnlyTimingAdmin):
    list_display = ["district", "computed_at", "seconds"]


@admin.register(AtRiskCheck)
class AtRiskCheckAdmin(ReadOnlyTimingAdmin):
    # Which pairings are flagged stays on the health page, for those who run the program.
    list_display = ["district", "checked_at", "seconds"]


@admin.register(StaffYear)
class StaffYearAdmin(admin.ModelAdmin):
    list_display = ["school_year", "district", "user", "school", "career_stage"]
    list_filter = ["school_year", "career_stage"]
    raw_id_fields = ["user", "school"]
    list_select_related = ["district", "user", "school"]
