from django.urls import path

from .views import goals, programs, reflections

app_name = "goals"
urlpatterns = [
    path("goals/", goals.goal_list, name="goal-list"),
    path("goals/new/", goals.goal_create, name="goal-create"),
    path("goals/smart-check/", goals.smart_check, name="smart-check"),
    path("goals/<int:pk>/", goals.goal_detail, name="goal-detail"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/activate/", goals.goal_activate, name="goal-activate"),
    path("goals/<int:pk>/revise/", goals.goal_revise, name="goal-revise"),
    path("goals/<int:pk>/achieve/", goals.goal_achieve, name="goal-achieve"),
    path("goals/<int:pk>/drop/", goals.goal_drop, name="goal-drop"),
    path("goals/<int:pk>/progress/", goals.progress_add, name="progress-add"),
    path("goals/progress/<int:pk>/evidence/", goals.evidence, name="evidence"),
    path("goals/<int:pk>/steps/", goals.step_add, name="step-add"),
    path("goals/steps/<int:pk>/done/", goals.step_done, name="step-done"),
    path("goals/<int:pk>/comments/", goals.comment_add, name="comment-add"),
    path("goals/from-next-step/<int:pk>/", goals.next_step_to_goal, name="next-step-to-goal"),
    path("programs/<int:program_pk>/goals/", programs.program_goals, name="program-goals"),
    path("programs/<int:program_pk>/goals/export/", programs.program_goals_export,
         name="program-goals-export"),
    path("programs/<int:program_pk>/goals/examples/", programs.example_add,
         name="example-add"),
    path("programs/<int:program_pk>/goals/examples/<int:pk>/withdraw/",
         programs.example_withdraw, name="example-withdraw"),
    path("programs/<int:program_pk>/prompts/", programs.program_prompts,
         name="program-prompts"),
    path("programs/<int:program_pk>/prompts/<int:pk>/", programs.prompt_schedule,
         name="prompt-schedule"),
    path("reflections/", reflections.reflection_list, name="reflection-list"),
    path("reflections/new/", reflections.reflection_create, name="reflection-create"),
    path("reflections/export/", reflections.reflection_export, name="reflection-export"),
    path("reflections/<int:pk>/", reflections.reflection_detail, name="reflection-detail"),
    path("reflections/<int:pk>/edit/", reflections.reflection_edit, name="reflection-edit"),
    path("reflections/<int:pk>/reply/", reflections.reflection_reply, name="reflection-reply"),
]
