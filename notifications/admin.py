"""The outbox for operators: read-only, subjects and states, never bodies."""

from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "kind", "state", "attempts", "next_attempt_at",
                    "sent_at"]
    list_filter = ["state", "channel", "kind", "in_digest"]
    search_fields = ["key"]
    date_hierarchy = "next_attempt_at"
    list_select_related = False
    # People's messages are theirs: the admin shows what happened, not what was said.
    fields = ["recipient", "channel", "kind", "key", "program", "state", "in_digest",
              "digest", "attempts", "next_attempt_at", "claimed_at", "last_error", "subject",
              "sent_at", "read_at", "created_at"]
    readonly_fields = fields
    raw_id_fields = ["recipient", "program", "digest"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
