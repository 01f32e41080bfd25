from django.utils.functional import SimpleLazyObject


def unread_notifications(request):
    """The bell's unread count: one count on a partial index, only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .models import Message

        return Message.objects.unread_by(user).count()

    return {"unread_notifications": SimpleLazyObject(count)}
