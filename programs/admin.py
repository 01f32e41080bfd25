from django.contrib import admin

from .models import (
    Application,
    BlackoutPeriod,
    Group,
    GroupMembership,
    GroupSession,
    HubPost,
    ObservationWindow,
    Participant,
    Program,
    RosterImport,
    Term,
    TimeLog,
)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


class ObservationWindowInline(admin.TabularInline):
    model = ObservationWindow
    extra = 0


class BlackoutInline(admin.TabularInline):
    model = BlackoutPeriod
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "model", "status", "starts_on", "ends_on"]
    list_filter = ["status", "model", "district"]
    search_fields = ["name"]
    list_select_related = ["district"]
    raw_id_fields = ["school", "copied_from", "created_by"]
    inlines = [TermInline, ObservationWindowInline, BlackoutInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "status", "school"]
    list_filter = ["role", "status"]
    search_fields = ["user__email", "user__display_name", "program__name"]
    list_select_related = ["user", "program", "school"]
    raw_id_fields = ["user", "program", "school"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["participant", "submitted_at", "decided_at"]
    list_select_related = ["participant__user", "participant__program"]
    raw_id_fields = ["participant", "decided_by", "preferred_mentors"]
    filter_horizontal = ["subjects", "focus_areas"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "program__name"]
    list_select_related = ["program"]
    raw_id_fields = ["program"]
    inlines = [GroupMembershipInline]


@admin.register(GroupSession)
class GroupSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "kind", "starts_at"]
    list_select_related = ["group"]
    raw_id_fields = ["group", "created_by"]


@admin.register(HubPost)
class HubPostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "author", "created_at", "removed_at"]
    list_select_related = ["group", "author"]
    raw_id_fields = ["group", "author", "parent"]


@admin.register(TimeLog)
class TimeLogAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "date", "minutes", "kind"]
    list_filter = ["kind"]
    list_select_related = ["user", "program"]
    raw_id_fields = ["user", "program", "logged_by"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "district", "state", "problem_count", "applied_at"]
    list_filter = ["state", "format"]
    list_select_related = ["district"]
    readonly_fields = ["problems", "summary", "error", "applied_at"]
    raw_id_fields = ["district", "uploaded_by"]
