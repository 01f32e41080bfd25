from django.contrib import admin

from .models import (
    Comment,
    Endorsement,
    Resource,
    ResourceAuthor,
    ResourceFeedback,
    ResourceFile,
    ResourceIndicator,
    ResourceVersion,
)


class AuthorInline(admin.TabularInline):
    model = ResourceAuthor
    fk_name = "resource"
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["added_by", "added_at"]


class FileInline(admin.TabularInline):
    model = ResourceFile
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


class IndicatorInline(admin.TabularInline):
    """The look-fors it helps with, read-only: authors choose them on the resource form."""

    model = ResourceIndicator
    extra = 0
    fields = ["label", "key"]
    readonly_fields = fields
    can_delete = False


class VersionInline(admin.TabularInline):
    model = ResourceVersion
    extra = 0
    fields = ["number", "edited_by", "created_at", "note"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "scope", "district", "endorsement_count",
                    "updated_at"]
    list_filter = ["status", "scope", "kind", "district"]
    list_select_related = ["district"]
    search_fields = ["title", "summary"]
    readonly_fields = ["created_by", "created_at", "updated_at", "published_at",
                       "endorsement_count", "use_count", "adapted_from"]
    filter_horizontal = ["subjects", "focus_areas"]
    inlines = [AuthorInline, IndicatorInline, FileInline, VersionInline]


@admin.register(ResourceVersion)
class ResourceVersionAdmin(admin.ModelAdmin):
    list_display = ["resource", "number", "edited_by", "created_at"]
    list_select_related = ["resource", "edited_by"]
    search_fields = ["resource__title"]
    readonly_fields = ["resource", "number", "edited_by", "created_at", "note", "snapshot"]


@admin.register(Comment, ResourceFeedback)
class DiscussionAdmin(admin.ModelAdmin):
    list_display = ["resource", "author", "created_at"]
    list_select_related = ["resource", "author"]
    search_fields = ["resource__title", "body"]
    raw_id_fields = ["resource", "author"]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["resource", "user", "created_at"]
    list_select_related = ["resource", "user"]
    raw_id_fields = ["resource", "user"]
