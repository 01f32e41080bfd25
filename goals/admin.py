"""The Django admin for operators. Operators keep the installation running; what teachers
write stays with them and the people they share it with, here too: reflections and their
replies are listed without their words (a private entry is not listed at all, and the
change form leaves the body out), and goal comments show who wrote when, not what."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    ExampleGoal,
    Goal,
    GoalComment,
    PromptSchedule,
    Reflection,
    ReflectionPrompt,
    ReflectionReply,
)


class Unnamed:
    """Stands in for a goal in the admin's headings, breadcrumbs, messages and log (the
    log's "Recent actions" too), which would otherwise print what the goal says. Anything
    else is the goal's own."""

    def __init__(self, obj):
        self.__dict__["_goal"] = obj

    def __getattr__(self, name):
        return getattr(self.__dict__["_goal"], name)

    def __str__(self):
        return _("Goal %(pk)s") % {"pk": self.pk}


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["pk", "participant", "state", "due_on", "achieved_on", "created_at"]
    list_filter = ["state"]
    list_select_related = ["participant__user", "participant__program"]
    raw_id_fields = ["participant", "created_by"]
    # The goal's words belong to the teacher and their mentor; operators see its shape
    # (a related goal is named by its number, as its name is its words).
    exclude = ["specific", "measure", "relevance", "dropped_reason", "revises", "focus_area",
               "baseline", "target", "unit"]
    readonly_fields = ["earlier_version"]

    @admin.display(description=gettext_lazy("earlier version"))
    def earlier_version(self, obj):
        return obj.revises_id or "–"
    search_fields = ["participant__user__email"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id:
            obj = self.get_object(request, object_id)
            if obj is not None:
                extra_context = {**(extra_context or {}), "subtitle": str(Unnamed(obj)),
                                 "original": Unnamed(obj)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context.update(object=Unnamed(obj), title=_("Change history: %s")
                                 % Unnamed(obj))
        return super().history_view(request, object_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        # Goals keep their revisions: nothing a person wrote is deleted.
        return False

    # The log and the messages name a goal by its number.
    def log_addition(self, request, obj, message):
        return super().log_addition(request, Unnamed(obj), message)

    def log_change(self, request, obj, message):
        return super().log_change(request, Unnamed(obj), message)

    def response_add(self, request, obj, post_url_continue=None):
        return super().response_add(request, Unnamed(obj), post_url_continue)

    def response_change(self, request, obj):
        return super().response_change(request, Unnamed(obj))


class Kept:
    """What a person wrote is never deleted, in the admin either."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GoalComment)
class GoalCommentAdmin(Kept, admin.ModelAdmin):
    list_display = ["pk", "goal_id", "author", "created_at"]
    raw_id_fields = ["author"]
    exclude = ["body", "goal"]
    readonly_fields = ["goal_id"]


@admin.register(ExampleGoal)
class ExampleGoalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "published", "created_at"]
    list_filter = ["published"]
    raw_id_fields = ["program", "focus_area", "published_by"]


@admin.register(ReflectionPrompt)
class ReflectionPromptAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "district", "program", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["district", "program", "created_by"]
    search_fields = ["text"]


@admin.register(PromptSchedule)
class PromptScheduleAdmin(admin.ModelAdmin):
    list_display = ["program", "position", "prompt"]
    raw_id_fields = ["program", "prompt"]


@admin.register(Reflection)
class ReflectionAdmin(Kept, admin.ModelAdmin):
    list_display = ["pk", "author", "program", "visibility", "created_at"]
    list_filter = ["visibility"]
    list_select_related = ["author", "program"]
    raw_id_fields = ["author", "program", "prompt", "checkin", "session"]
    # Never the body, private or shared: the admin is not a way round the author's choice
    # (nor the linked goal's words: it is named by its number).
    exclude = ["body", "goal"]
    readonly_fields = ["author", "program", "visibility", "confidence", "goal_id",
                       "created_at", "updated_at"]
    search_fields = ["author__email"]

    def get_queryset(self, request):
        # A private entry is its author's alone: it does not exist for anyone else.
        return super().get_queryset(request).exclude(visibility=Reflection.Visibility.PRIVATE)

    def has_add_permission(self, request):
        return False


@admin.register(ReflectionReply)
class ReflectionReplyAdmin(Kept, admin.ModelAdmin):
    list_display = ["pk", "reflection", "author", "created_at"]
    raw_id_fields = ["reflection", "author"]
    exclude = ["body"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(
            reflection__visibility=Reflection.Visibility.PRIVATE)

    def has_add_permission(self, request):
        return False
