"""The Django admin is for operators who keep the installation running. What a pair wrote
in a cycle (focus, lesson, notes, ratings, evidence, debrief) is not theirs to read: those
fields and rows are left out here."""

from django.contrib import admin

from .models import (
    CycleShare,
    Debrief,
    DebriefNextStep,
    Domain,
    EvidenceFile,
    Indicator,
    ObservationCycle,
    ObservationNote,
    ObservationTemplate,
    Rating,
    ScaleLevel,
    TemplateVersion,
)


class VersionInline(admin.TabularInline):
    model = TemplateVersion
    extra = 0
    fields = ["number", "state", "published_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(ObservationTemplate)
class ObservationTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "program", "created_at"]
    search_fields = ["name"]
    raw_id_fields = ["district", "program", "created_by"]
    inlines = [VersionInline]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    list_display = ["template", "number", "state", "published_at"]
    list_filter = ["state"]
    raw_id_fields = ["template", "created_by", "published_by"]

    def get_readonly_fields(self, request, obj=None):
        # A published version is frozen: cycles were made with it.
        if obj is not None and obj.is_published:
            return [f.name for f in self.model._meta.fields]
        return []


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "position"]
    raw_id_fields = ["version"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["text", "domain", "position"]
    raw_id_fields = ["domain"]


@admin.register(ScaleLevel)
class ScaleLevelAdmin(admin.ModelAdmin):
    list_display = ["version", "value", "label"]
    raw_id_fields = ["version"]


@admin.register(ObservationCycle)
class ObservationCycleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "kind", "stage", "due_on", "created_at"]
    list_filter = ["stage", "kind"]
    list_select_related = ["mentee", "program"]
    raw_id_fields = ["program", "pairing", "mentor", "mentee", "template_version",
                     "created_by"]
    exclude = [*ObservationCycle.NOTE_FIELDS, "look_fors"]


@admin.register(ObservationNote)
class ObservationNoteAdmin(admin.ModelAdmin):
    list_display = ["cycle", "noted_at", "author"]
    raw_id_fields = ["cycle", "author", "indicator"]
    exclude = ["text", "indicator"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["cycle", "updated_at"]
    raw_id_fields = ["cycle", "rated_by"]
    exclude = ["indicator", "level"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ["cycle", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["cycle", "uploaded_by"]
    exclude = ["file", "original_name", "description"]


@admin.register(Debrief)
class DebriefAdmin(admin.ModelAdmin):
    list_display = ["cycle", "shared_at", "updated_at"]
    raw_id_fields = ["cycle", "written_by"]
    exclude = list(Debrief.TEXT_FIELDS)


@admin.register(DebriefNextStep)
class DebriefNextStepAdmin(admin.ModelAdmin):
    list_display = ["debrief", "position"]
    raw_id_fields = ["debrief"]
    exclude = ["description"]


@admin.register(CycleShare)
class CycleShareAdmin(admin.ModelAdmin):
    list_display = ["cycle", "recipient", "created_at", "revoked_at"]
    raw_id_fields = ["cycle", "recipient", "shared_by"]
