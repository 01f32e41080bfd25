from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    AccessRecord,
    District,
    DistrictRole,
    FocusArea,
    Invitation,
    School,
    StaffProfile,
    Subject,
    User,
)


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0
    fields = ["name", "code", "sourced_id"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "anonymity_threshold"]
    search_fields = ["name"]
    inlines = [SchoolInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "district"]
    list_filter = ["district"]
    search_fields = ["name", "code", "sourced_id"]
    list_select_related = ["district"]


@admin.register(Subject, FocusArea)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]


class DistrictRoleInline(admin.TabularInline):
    model = DistrictRole
    extra = 0
    autocomplete_fields = ["school"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    autocomplete_fields = ["school"]
    filter_horizontal = ["subjects", "expertise"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "district", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "district"]
    list_select_related = ["district"]
    search_fields = ["email", "display_name"]
    inlines = [StaffProfileInline, DistrictRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["display_name", "preferred_language", "district"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                  "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["email", "display_name", "district", "password1", "password2"]}),
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "district", "school", "created_at", "expires_at",
                    "accepted_at", "revoked_at"]
    list_filter = ["role", "district"]
    search_fields = ["email"]
    list_select_related = ["district", "school"]
    readonly_fields = ["created_at", "claimed_at", "sent_at", "send_attempts", "send_error",
                       "accepted_at", "accepted_by"]
    autocomplete_fields = ["school", "invited_by"]


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The log is evidence: operators read it, nobody edits or removes a line."""

    list_display = ["read_at", "reader", "owner", "record_type", "record_id", "district"]
    list_filter = ["district", "record_type"]
    search_fields = ["reader__email", "owner__email"]
    list_select_related = ["reader", "owner", "record_type", "district"]
    date_hierarchy = "read_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
