from django.urls import path

from . import views, views_checkins, views_sessions, views_steps

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", views.resource_create, name="create"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/edit/", views.resource_edit, name="edit"),
    path("<int:pk>/publish/", views.resource_publish, name="publish"),
    path("<int:pk>/authors/", views.author_add, name="author-add"),
    path("<int:pk>/authors/<int:author_pk>/remove/", views.author_remove,
         name="author-remove"),
    path("<int:pk>/comments/", views.comment_add, name="comment-add"),
    path("<int:pk>/feedback/", views.feedback_add, name="feedback-add"),
    path("<int:pk>/endorse/", views.endorse, name="endorse"),
    path("<int:pk>/adapt/", views.resource_adapt, name="adapt"),
    path("<int:pk>/files/", views.file_add, name="file-add"),
    path("<int:pk>/files/<int:file_pk>/", views.file_download, name="file"),
    path("<int:pk>/files/<int:file_pk>/remove/", views.file_remove, name="file-remove"),
    path("<int:pk>/versions/", views.version_list, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version-detail"),
    # Resources on a group session's agenda.
    path("programs/<int:program_pk>/sessions/<int:pk>/attach/", views_sessions.session_attach,
         name="session-attach"),
    path("programs/<int:program_pk>/sessions/<int:pk>/uses/<int:use_pk>/remove/",
         views_sessions.session_detach, name="session-detach"),
    # Resources attached to a check-in, by the pair.
    path("checkins/<int:pk>/attach/", views_checkins.checkin_attach, name="checkin-attach"),
    path("checkins/<int:pk>/uses/<int:use_pk>/remove/", views_checkins.checkin_detach,
         name="checkin-detach"),
    # Resources attached to a debrief's next steps and to a goal's action steps.
    path("debriefs/next-steps/<int:pk>/attach/", views_steps.debrief_step_attach,
         name="debrief-step-attach"),
    path("debriefs/next-steps/<int:pk>/uses/<int:use_pk>/remove/",
         views_steps.debrief_step_detach, name="debrief-step-detach"),
    path("goals/steps/<int:pk>/attach/", views_steps.goal_step_attach,
         name="goal-step-attach"),
    path("goals/steps/<int:pk>/uses/<int:use_pk>/remove/", views_steps.goal_step_detach,
         name="goal-step-detach"),
]
