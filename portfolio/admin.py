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
    raw_id_fields = ["badge", "awarded_by", "revoked_by"]
    # The recipient is fixed (the hashed identity is theirs); the evidence and the reason
    # for revoking stay with the holder and the coordinators. Awards are never deleted.
    readonly_fields = ["public_id", "recipient", "salt", "identity"]
    exclude = ["evidence", "revocation_reason"]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        # Awards are made by the check or by a coordinator, with evidence.
        return False
