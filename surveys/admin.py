"""The Django admin for operators: surveys and their questions are editable; responses are
read-only and show neither their answers nor, for an anonymous survey, anything more than
the survey and the week."""

from django.contrib import admin

from .models import Invitation, Question, Response, Survey, SurveyTemplate


def _sent(survey):
    return survey is not None and survey.status != Survey.Status.DRAFT


class QuestionInline(admin.TabularInline):
    """Questions change while the survey is a draft: once sent, every answer answers the
    same question."""

    model = Question
    extra = 0
    fields = ["position", "kind", "text", "required", "choices", "key"]

    def has_add_permission(self, request, obj=None):
        return not _sent(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _sent(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _sent(obj) and super().has_delete_permission(request, obj)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "stage", "status", "opens_on", "closes_on", "anonymous"]
    list_filter = ["status", "stage", "anonymous"]
    list_select_related = ["program"]
    search_fields = ["title", "program__name"]
    raw_id_fields = ["program", "created_by", "template"]
    filter_horizontal = ["audience_schools", "audience_groups"]
    inlines = [QuestionInline]

    def get_readonly_fields(self, request, obj=None):
        # Turning a sent anonymous survey into a named one would open each anonymous
        # response on its own page; the other way would hide named answers' people.
        return ["anonymous"] if _sent(obj) else []


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "stage", "anonymous"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "user", "occasion", "invited_at", "answered_on"]
    list_select_related = ["survey", "user"]
    raw_id_fields = ["survey", "user", "school", "group"]
    readonly_fields = ["answered_on"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["id", "survey", "submitted_on"]
    list_select_related = ["survey"]
    # Role, school and group narrow an anonymous answer down; the answers are the person's.
    fields = ["survey", "submitted_on"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
