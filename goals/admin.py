"""The Django admin for operators. Operators keep the installation running; what teachers
write stays with them and the people they share it with, here too: reflections and their
replies are listed without their words (a private entry is not listed at all, and the
change form leaves the body out), and goal comments show who wrote when, not what."""

from django.contrib import admin

from .models import (
    ExampleGoal,
    Goal,
    GoalComment,
    PromptSchedule,
    Reflection,
    ReflectionPrompt,
    ReflectionReply,
)


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["pk", "participant", "state", "due_on", "achieved_on", "created_at"]
    list_filter = ["state"]
    list_select_related = ["participant__user", "participant__program"]
    raw_id_fields = ["participant", "focus_area", "revises", "created_by"]
    # The goal's words belong to the teacher and their mentor; operators see its shape.
    exclude = ["specific", "measure", "relevance", "dropped_reason"]
    search_fields = ["participant__user__email"]


@admin.register(GoalComment)
class GoalCommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "goal", "author", "created_at"]
    raw_id_fields = ["goal", "author"]
    exclude = ["body"]


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
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["pk", "author", "program", "visibility", "created_at"]
    list_filter = ["visibility"]
    list_select_related = ["author", "program"]
    raw_id_fields = ["author", "program", "prompt", "goal", "checkin", "session"]
    # Never the body, private or shared: the admin is not a way round the author's choice.
    exclude = ["body"]
    readonly_fields = ["author", "program", "visibility", "confidence", "created_at",
                       "updated_at"]
    search_fields = ["author__email"]

    def get_queryset(self, request):
        # A private entry is its author's alone: it does not exist for anyone else.
        return super().get_queryset(request).exclude(visibility=Reflection.Visibility.PRIVATE)

    def has_add_permission(self, request):
        return False


@admin.register(ReflectionReply)
class ReflectionReplyAdmin(admin.ModelAdmin):
    list_display = ["pk", "reflection", "author", "created_at"]
    raw_id_fields = ["reflection", "author"]
    exclude = ["body"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(
            reflection__visibility=Reflection.Visibility.PRIVATE)

    def has_add_permission(self, request):
        return False
