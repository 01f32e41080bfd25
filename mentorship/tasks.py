from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="mentorship.clear_expired_sessions")
def clear_expired_sessions():
    """Delete expired sign-in sessions; safe to run at any time, any number of times."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
