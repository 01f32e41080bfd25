from django.contrib import admin

from .models import Award, Badge, Issuer


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "district", "url", "email"]
    readonly_fields = ["public_id"]
    raw_id_fields = ["district"]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "program", "criterion", "threshold", "active",
                    "checked_at"]
    list_filter = ["criterion", "active"]
    search_fields = ["name"]
    list_select_related = ["district", "program"]
    raw_id_fields = ["district", "program", "created_by"]
    readonly_fields = ["public_id", "checked_at"]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["badge", "recipient", "method", "issued_at", "revoked_at"]
    list_filter = ["method"]
    search_fields = ["badge__name", "recipient__display_name", "recipient__email"]
    list_select_related = ["badge", "recipient"]
    raw_id_fields = ["badge", "recipient", "awarded_by", "revoked_by"]
    readonly_fields = ["public_id", "salt", "identity"]
