from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dashboards import views as dashboards

from . import views

# The Django admin signs in through allauth, so rate limits and two-factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Mentorship administration")

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("programs/", include("programs.urls")),
    path("", include("pairing.urls")),
    path("", include("goals.urls")),
    path("", include("observations.urls")),
    path("", include("portfolio.urls")),
    path("surveys/", include("surveys.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("resources/", include("resources.urls")),
    path("language/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "mentorship.views.bad_request"
handler403 = "mentorship.views.permission_denied"
handler404 = "mentorship.views.page_not_found"
handler500 = "mentorship.views.server_error"
