from django.urls import path

from .views import awards, badges, export, public

app_name = "portfolio"
urlpatterns = [
    # Badges and awards, signed in
    path("badges/", badges.badge_list, name="badges"),
    path("badges/new/", badges.badge_create, name="badge-create"),
    path("badges/<int:pk>/", badges.badge_detail, name="badge-detail"),
    path("badges/<int:pk>/edit/", badges.badge_edit, name="badge-edit"),
    path("badges/<int:pk>/award/", awards.award_create, name="award-create"),
    path("badges/<int:pk>/awards.csv", badges.awards_export, name="awards-export"),
    path("badges/<int:pk>/check/", badges.badge_check, name="badge-check"),
    path("badges/mine/", awards.my_badges, name="my-badges"),
    path("badges/awards/<int:pk>/", awards.award_detail, name="award-detail"),
    path("badges/awards/<int:pk>/revoke/", awards.award_revoke, name="award-revoke"),
    path("badges/awards/<int:pk>/reinstate/", awards.award_reinstate, name="award-reinstate"),
    path("badges/awards/<int:pk>/certificate/", awards.certificate, name="certificate"),
    path("badges/awards/<int:pk>/assertion.json", awards.assertion_download,
         name="assertion-download"),
    path("badges/awards/<int:pk>/badge.svg", awards.baked_image, name="baked-image"),
    # The teacher's portfolio
    path("portfolio/", export.portfolio, name="portfolio"),
    path("portfolio/portfolio.html", export.download_html, name="portfolio-html"),
    path("portfolio/portfolio.json", export.download_json, name="portfolio-json"),
    # Open Badges hosted verification: public, no sign-in
    path("badges/verify/<uuid:public_id>/", public.verify, name="verify"),
    path("openbadges/assertions/<uuid:public_id>", public.assertion, name="assertion"),
    path("openbadges/badges/<uuid:public_id>", public.badge_class, name="badge-class"),
    path("openbadges/badges/<uuid:public_id>/image.svg", public.badge_image,
         name="badge-image"),
    path("openbadges/issuers/<uuid:public_id>", public.issuer, name="issuer"),
]
