from django.urls import path

from .views import enrolment, groups, participants, programs, roster, time

app_name = "programs"
urlpatterns = [
    # Programs, their settings and calendar
    path("", programs.program_list, name="list"),
    path("new/", programs.program_create, name="create"),
    path("<int:pk>/", programs.program_detail, name="detail"),
    path("<int:pk>/settings/", programs.program_edit, name="edit"),
    path("<int:pk>/status/", programs.program_status, name="status"),
    path("<int:pk>/calendar/", programs.calendar_edit, name="calendar"),
    path("<int:pk>/copy/", programs.program_copy, name="copy"),
    # Participants and enrolment
    path("<int:pk>/participants/", participants.participant_list, name="participants"),
    path("<int:pk>/participants/export/", participants.participant_export,
         name="participants-export"),
    path("<int:pk>/participants/add/", participants.participant_add, name="participant-add"),
    path("<int:program_pk>/participants/<int:pk>/", participants.participant_edit,
         name="participant-edit"),
    path("<int:pk>/invitation/", participants.invitation_respond, name="invitation-respond"),
    path("<int:pk>/apply/", enrolment.apply, name="apply"),
    path("<int:pk>/applications/", enrolment.application_list, name="applications"),
    path("<int:program_pk>/applications/<int:pk>/", enrolment.application_detail,
         name="application-detail"),
    # Groups, sessions and the team hub
    path("<int:program_pk>/groups/", groups.group_list, name="groups"),
    path("<int:program_pk>/groups/new/", groups.group_create, name="group-create"),
    path("<int:program_pk>/groups/<int:pk>/", groups.group_detail, name="group-detail"),
    path("<int:program_pk>/groups/<int:pk>/edit/", groups.group_edit, name="group-edit"),
    path("<int:program_pk>/groups/<int:pk>/sessions/new/", groups.session_create,
         name="session-create"),
    path("<int:program_pk>/sessions/<int:pk>/", groups.session_detail, name="session-detail"),
    path("<int:program_pk>/sessions/<int:pk>/edit/", groups.session_edit, name="session-edit"),
    path("<int:program_pk>/sessions/<int:pk>/cancel/", groups.session_cancel,
         name="session-cancel"),
    path("<int:program_pk>/sessions/<int:pk>/restore/", groups.session_restore,
         name="session-restore"),
    path("<int:program_pk>/sessions/<int:pk>/record/", groups.session_record,
         name="session-record"),
    path("<int:program_pk>/groups/<int:pk>/hub/", groups.hub, name="hub"),
    path("<int:program_pk>/groups/<int:pk>/hub/post/", groups.hub_post, name="hub-post"),
    path("<int:program_pk>/hub/<int:pk>/reply/", groups.hub_reply, name="hub-reply"),
    path("<int:program_pk>/hub/<int:pk>/edit/", groups.hub_edit, name="hub-edit"),
    path("<int:program_pk>/hub/<int:pk>/remove/", groups.hub_remove, name="hub-remove"),

    # Protected time
    path("<int:program_pk>/time/", time.time_list, name="time"),
    path("<int:program_pk>/time/log/", time.time_log, name="time-log"),
    path("<int:program_pk>/time/summary/", time.time_summary, name="time-summary"),
    path("<int:program_pk>/time/summary/export/", time.time_export, name="time-export"),

    # Roster import
    path("roster/", roster.import_list, name="roster-imports"),
    path("roster/new/", roster.import_new, name="roster-import-new"),
    path("roster/<int:pk>/", roster.import_detail, name="roster-import"),
    path("roster/<int:pk>/apply/", roster.import_apply, name="roster-import-apply"),
    path("roster/<int:pk>/status/", roster.import_status, name="roster-import-status"),
]
