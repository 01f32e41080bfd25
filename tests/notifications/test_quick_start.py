"""The quick start runs on SQLite, where an email's mark takes the portable path (on
PostgreSQL, which the rest of the suite uses, it goes to the database through libpq): an
email planned there must go out and be marked sent."""

from tests.quick_start import run_on_sqlite

SCRIPT = """
import django
django.setup()
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import District, User
from mentorship.reminders import Kind, Reminder
from notifications import delivery, planning
from notifications.models import Message

call_command("migrate", verbosity=0, interactive=False)
district = District.objects.create(name="Quick start", time_zone="America/Chicago")
teacher = User.objects.create(email="teacher@example.org", display_name="Ana Ruiz",
                              district=district, preferred_language="es")
reminder = Reminder(key=f"quick:user-{teacher.pk}", user_id=teacher.pk,
                    template="notifications/email/digest",
                    context={"items": [{"subject": "Check-in tomorrow", "url": ""}]},
                    url="/pairing/")
kinds = {"quick": Kind("quick", "Quick", "", lambda now: [reminder])}
assert planning.plan(timezone.now(), kinds=kinds) == 1
while delivery.send_batch():
    pass
email = Message.objects.get(channel="email")
print(email.state, email.last_error or "-", len(mail.outbox), mail.outbox[0].to[0])
"""


def test_an_email_goes_out_and_is_marked_sent_on_sqlite(tmp_path):
    run = run_on_sqlite(
        SCRIPT, tmp_path, EMAIL_URL="memorymail://",
        # Any hour is a working hour here: the test runs whenever it runs.
        NOTIFICATIONS_WORKING_HOURS="00:00-23:59:59.999999",
        NOTIFICATIONS_WORKING_DAYS="0,1,2,3,4,5,6")

    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == ["sent", "-", "1", "teacher@example.org"]

