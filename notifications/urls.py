from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="list"),
    path("<int:pk>/read/", views.read, name="read"),
    path("read-all/", views.read_all, name="read-all"),
    path("bell/", views.bell, name="bell"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("outbox/", views.district_outbox, name="district-outbox"),
    path("outbox/<int:pk>/retry/", views.retry, name="retry"),
    path("programs/<int:program_pk>/outbox/", views.program_outbox, name="program-outbox"),
]
