"""The Django admin is for operators who keep the installation running. What a pair wrote
in a cycle (focus, lesson, notes, ratings, evidence, debrief) is not theirs to read: those
fields and rows are left out here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


class PublishedVersionFrozen:
    """A part of a template version (domain, look-for, rating level): once the version is
    published it is read-only, and none is added to it or deleted from it, so a cycle
    always shows the wording it was observed with."""

    def version_of(self, obj):
        raise NotImplementedError

    def is_frozen(self, obj):
        return obj is not None and self.version_of(obj).is_published

    def get_readonly_fields(self, request, obj=None):
        if self.is_frozen(obj):
            return [f.name for f in self.model._meta.fields]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.is_frozen(obj) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        admin_ = self

        class NotIntoPublished(form):
            def clean(self):
                cleaned = super().clean()
                candidate = self.instance
                for name, value in cleaned.items():
                    if name in ("version", "domain"):
                        setattr(candidate, name, value)
                try:
                    frozen = admin_.is_frozen(candidate)
                except (AttributeError, Domain.DoesNotExist, TemplateVersion.DoesNotExist):
                    frozen = False
                if frozen:
                    raise forms.ValidationError(_(
                        "This template version is published: it can no longer change. "
                        "Edit the template to make a new version."))
                return cleaned

        return NotIntoPublished


@admin.register(Domain)
class DomainAdmin(PublishedVersionFrozen, admin.ModelAdmin):
    list_display = ["name", "version", "position"]
    raw_id_fields = ["version"]

    def version_of(self, obj):
        return obj.version


@admin.register(Indicator)
class IndicatorAdmin(PublishedVersionFrozen, admin.ModelAdmin):
    list_display = ["text", "domain", "position"]
    raw_id_fields = ["domain"]

    def version_of(self, obj):
        return obj.domain.version


@admin.register(ScaleLevel)
class ScaleLevelAdmin(PublishedVersionFrozen, admin.ModelAdmin):
    list_display = ["version", "value", "label"]
    raw_id_fields = ["version"]

    def version_of(self, obj):
        return obj.version


@admin.register(ObservationCycle)
class ObservationCycleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "kind", "stage", "due_on", "created_at"]
    list_filter = ["stage", "kind"]
    list_select_related = ["mentee", "program"]
    raw_id_fields = ["program", "pairing", "mentor", "mentee", "template_version",
                     "created_by"]
    # The goal and the reflection are the mentee's own words, the place says where they
    # teach: none of them is the operators' to read.
    exclude = [*ObservationCycle.NOTE_FIELDS, "look_fors", "goal", "reflection", "location"]


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
