"""What badges have to announce, under the contract of `mentorship/reminders.py`: a badge
awarded to its recipient."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentorship.reminders import Reminder, reminder
from programs.models import Program
from programs.reminders import RECENT

from .models import Award


@reminder("badge-awarded", _("Badge awarded"), _("When you earn a badge."), digestible=False)
def badges_awarded(now):
    """To the recipient, once per award made in the last week that still stands (a revoked
    award is not announced), for district badges and badges of running programs."""
    awards = (Award.objects.current()
              .filter(issued_at__gte=now - RECENT, issued_at__lte=now,
                      recipient__is_active=True)
              .filter(Q(badge__program__isnull=True)
                      | Q(badge__program__status=Program.Status.RUNNING))
              .select_related("badge__program", "badge__district").order_by("pk"))
    for award in awards:
        badge = award.badge
        yield Reminder(
            key=f"badge-awarded:award-{award.pk}",
            user_id=award.recipient_id,
            template="portfolio/reminders/badge_awarded",
            context={"badge": badge.name, "description": badge.description,
                     "issuer": badge.program.name if badge.program else badge.district.name},
            url=reverse("portfolio:award-detail", args=[award.pk]),
            program_id=badge.program_id)
