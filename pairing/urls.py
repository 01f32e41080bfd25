from django.urls import path

from .views import calendar, checkins, matching, pairings

app_name = "pairing"
urlpatterns = [
    # Matching, inside a program
    path("programs/<int:program_pk>/matching/", matching.matching, name="matching"),
    path("programs/<int:program_pk>/matching/settings/", matching.settings_edit,
         name="matching-settings"),
    path("programs/<int:program_pk>/matching/exclusions/", matching.exclusions,
         name="exclusions"),
    path("programs/<int:program_pk>/matching/exclusions/<int:pk>/remove/",
         matching.exclusion_remove, name="exclusion-remove"),
    path("programs/<int:program_pk>/matching/run/", matching.run_start, name="run-start"),
    path("programs/<int:program_pk>/matching/<int:pk>/approve/", matching.run_approve,
         name="run-approve"),
    path("programs/<int:program_pk>/matching/<int:pk>/discard/", matching.run_discard,
         name="run-discard"),
    path("programs/<int:program_pk>/matching/<int:pk>/swap/", matching.proposal_swap,
         name="proposal-swap"),
    path("programs/<int:program_pk>/proposals/<int:pk>/", matching.proposal_change,
         name="proposal-change"),
    path("programs/<int:program_pk>/proposals/<int:pk>/lock/", matching.proposal_lock,
         name="proposal-lock"),
    path("programs/<int:program_pk>/proposals/<int:pk>/remove/", matching.proposal_remove,
         name="proposal-remove"),
    path("programs/<int:program_pk>/matching/<int:pk>/place/", matching.placement_approve,
         name="placement-approve"),
    path("programs/<int:program_pk>/matching/<int:pk>/return/", matching.unmatched_return,
         name="run-return"),
    path("programs/<int:program_pk>/matching/<int:pk>/propose/<int:participant_pk>/",
         matching.propose_partner, name="propose-partner"),
    # Pairings and their lifecycle
    path("programs/<int:program_pk>/pairings/", pairings.pairing_list, name="pairings"),
    path("pairings/<int:pk>/", pairings.pairing_detail, name="pairing-detail"),
    path("pairings/<int:pk>/status/", pairings.pairing_status, name="pairing-status"),
    path("pairings/<int:pk>/rematch/", pairings.rematch_request, name="rematch-request"),
    path("rematch/<int:pk>/answer/", pairings.rematch_answer, name="rematch-answer"),
    # Check-ins and their next steps
    path("pairings/<int:pk>/checkins/new/", checkins.checkin_create, name="checkin-create"),
    path("checkins/<int:pk>/", checkins.checkin_detail, name="checkin-detail"),
    path("checkins/<int:pk>/edit/", checkins.checkin_edit, name="checkin-edit"),
    path("checkins/<int:pk>/record/", checkins.checkin_record, name="checkin-record"),
    path("checkins/<int:pk>/cancel/", checkins.checkin_cancel, name="checkin-cancel"),
    path("next-steps/<int:pk>/done/", checkins.next_step_done, name="next-step-done"),
    # Calendar feeds and single events
    path("calendar/", calendar.feed_settings, name="calendar"),
    path("calendar/<slug:token>.ics", calendar.feed, name="calendar-feed"),
    path("checkins/<int:pk>/event.ics", calendar.checkin_ics, name="checkin-ics"),
    path("sessions/<int:pk>/event.ics", calendar.session_ics, name="session-ics"),
    path("windows/<int:pk>/event.ics", calendar.window_ics, name="window-ics"),
]
