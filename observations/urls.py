from django.urls import path

from .views import cycles, overview, templates

app_name = "observations"
urlpatterns = [
    path("observations/", overview.board, name="board"),
    path("pairings/<int:pk>/observations/new/", cycles.cycle_start, name="cycle-start"),
    path("observations/<int:pk>/", cycles.cycle_detail, name="cycle-detail"),
    path("observations/<int:pk>/plan/", cycles.cycle_plan, name="cycle-plan"),
    path("observations/<int:pk>/event.ics", cycles.cycle_ics, name="cycle-ics"),
    path("observations/<int:pk>/stage/", cycles.cycle_stage, name="cycle-stage"),
    path("observations/<int:pk>/observe/", cycles.cycle_observe, name="cycle-observe"),
    path("observations/<int:pk>/notes/", cycles.note_add, name="note-add"),
    path("observations/<int:pk>/ratings/", cycles.ratings_save, name="ratings-save"),
    path("observations/<int:pk>/evidence/", cycles.evidence_add, name="evidence-add"),
    path("observations/evidence/<int:pk>/", cycles.evidence_file, name="evidence"),
    path("observations/evidence/<int:pk>/remove/", cycles.evidence_remove,
         name="evidence-remove"),
    path("observations/<int:pk>/debrief/", cycles.debrief, name="debrief"),
    path("observations/<int:pk>/reflect/", cycles.reflect, name="reflect"),
    path("observations/next-steps/<int:pk>/action-step/", cycles.next_step_action,
         name="next-step-action"),
    path("observations/<int:pk>/sharing/", cycles.sharing, name="sharing"),
    path("observations/shares/<int:pk>/revoke/", cycles.share_revoke, name="share-revoke"),
    path("observations/teachers/<int:user_pk>/feedback/", overview.timeline,
         name="timeline"),
    path("observations/teachers/<int:user_pk>/trends/", overview.trends, name="trends"),
    path("programs/<int:program_pk>/observations/", overview.coverage, name="coverage"),
    path("observations/templates/", templates.template_list, name="templates"),
    path("observations/templates/new/", templates.template_create, name="template-create"),
    path("observations/templates/<int:pk>/", templates.template_detail,
         name="template-detail"),
    path("observations/templates/<int:pk>/versions/<int:number>/",
         templates.template_detail, name="version-detail"),
    path("observations/templates/<int:pk>/edit/", templates.template_edit,
         name="template-edit"),
]
