from django.urls import path

from . import impact_views, views

app_name = "dashboards"

urlpatterns = [
    path("district/", impact_views.district, name="district"),
    path("district/report/", impact_views.report, name="report"),
    path("district/<slug:table>.csv", impact_views.export, name="district-export"),
    path("district/hourly-cost/", impact_views.hourly_cost, name="hourly-cost"),
    path("programs/<int:program_pk>/health/", views.program_health, name="program-health"),
    path("programs/<int:program_pk>/health/<slug:table>.csv", views.program_health_export,
         name="program-health-export"),
]
