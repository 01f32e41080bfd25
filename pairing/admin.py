from django.contrib import admin
from django.db import models

from .models import (
    CalendarFeed,
    CheckIn,
    Exclusion,
    MatchingRun,
    MatchingSettings,
    Pairing,
    PairingEvent,
    RematchRequest,
)


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "prefer_same_school", "reverse", "updated_at"]
    raw_id_fields = ["program", "updated_by"]


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    list_display = ["program", "person", "other", "reason", "created_at"]
    list_filter = ["reason"]
    raw_id_fields = ["program", "person", "other", "created_by"]


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = ["program", "school", "kind", "state", "pool_size", "solve_seconds",
                    "created_at"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["program", "school", "started_by", "closed_by"]


# Operators keep the installation running; what a pair wrote and why someone asked for a
# rematch stay with the pair and the program's coordinators, here too.


class PairingEventInline(admin.TabularInline):
    model = PairingEvent
    extra = 0
    raw_id_fields = ["by"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(kind__in=PairingEvent.REMATCH_KINDS)


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "status", "started_on", "next_checkin_due_on"]
    list_filter = ["status", "end_reason"]
    search_fields = ["mentor__user__display_name", "mentee__user__display_name"]
    list_select_related = ["program", "mentor__user", "mentee__user"]
    raw_id_fields = ["program", "mentor", "mentee", "run"]
    inlines = [PairingEventInline]


@admin.register(RematchRequest)
class RematchRequestAdmin(admin.ModelAdmin):
    list_display = ["pairing", "requested_by", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["pairing", "requested_by", "answered_by"]
    exclude = ["reason", "answer"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["pairing", "scheduled_at", "status", "minutes_spent"]
    list_filter = ["status", "mode"]
    raw_id_fields = ["pairing", "scheduled_by", "recorded_by"]
    filter_horizontal = ["time_logs"]
    exclude = list(CheckIn.NOTE_FIELDS)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at", "last_read_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["token"]
