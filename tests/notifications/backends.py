"""Mail backends for the tests: the edge that refuses."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers every message with a temporary refusal."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"Try again later")
