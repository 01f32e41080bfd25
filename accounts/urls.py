from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("people/", views.people_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("profile/", views.profile_edit, name="profile"),
    path("schools/", views.school_list, name="schools"),
    path("schools/<int:pk>/", views.school_detail, name="school-detail"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation-revoke"),
    path("join/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("access-log/", views.access_log, name="access-log"),
    path("access-log/export/", views.access_log_export, name="access-log-export"),
    path("district/focus-areas/", views.focus_areas, name="focus-areas"),
    path("district/settings/", views.district_settings, name="district-settings"),
]
